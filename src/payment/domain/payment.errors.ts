import { errorOf } from '../../common/errors/domain-error';

export class PaymentInProgressError extends errorOf('PAYMENT_IN_PROGRESS', 409, { retryable: true }) {
  constructor() {
    super('Another payment of this order is in progress');
  }
}

export class PaymentNotFoundError extends errorOf('PAYMENT_NOT_FOUND', 404) {
  constructor() {
    super('No such payment');
  }
}

export class PaymentMethodUnavailableError extends errorOf('PAYMENT_METHOD_UNAVAILABLE', 400) {
  constructor() {
    super('Payments through the gateway are not available: no payment gateway is configured');
  }
}

/** The gateway refused the card; its own code travels to the client as `pgCode`. */
export class CardDeclinedError extends errorOf('CARD_DECLINED', 402) {
  static readonly extraFields = { pgCode: "The gateway's code for the decline, e.g. REJECT_CARD_PAYMENT" };
  override readonly extra: { pgCode: string };

  constructor(
    readonly pgCode: string,
    gatewayMessage: string,
  ) {
    super(`The card was declined by the payment gateway (${pgCode})${gatewayMessage ? `: ${gatewayMessage}` : ''}`);
    this.extra = { pgCode };
  }
}

/** The gateway could not be reached or did not decide, and nothing was charged: the order is payable again. */
export class PaymentGatewayUnavailableError extends errorOf('PAYMENT_GATEWAY_UNAVAILABLE', 503) {
  constructor(message = 'The payment gateway is unavailable and nothing was charged; the order can be paid again') {
    super(message);
  }
}

/** The gateway's answer about a charge was not what the shop asked (amount, currency, order id, key): the charge is being cancelled there. */
export class PaymentGatewayError extends errorOf('PAYMENT_GATEWAY_ERROR', 502) {
  constructor() {
    super('The payment gateway answered for a charge other than the one asked for; it is being cancelled, and the order can be paid again');
  }
}

/** `gatewayOrderId` names no checkout of this order. */
export class UnknownCheckoutError extends errorOf('UNKNOWN_CHECKOUT', 400) {
  constructor() {
    super('gatewayOrderId was not issued by a checkout of this order');
  }
}

/** A deposit callback for a virtual account the shop holds, without the secret the gateway issued for it: nothing is stored. */
export class DepositSecretMismatchError extends errorOf('UNAUTHORIZED', 401) {
  constructor() {
    super('The deposit callback does not carry the secret the gateway issued for that payment');
  }
}
