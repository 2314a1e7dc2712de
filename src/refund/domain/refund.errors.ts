import { errorOf } from '../../common/errors/domain-error';

/** An order paid into a virtual account can only be refunded to an account the admin names. */
export class RefundAccountRequiredError extends errorOf('REFUND_ACCOUNT_REQUIRED', 400) {
  constructor() {
    super('The order was paid into a virtual account: refundReceiveAccount { bank, accountNumber, holderName } says where the money goes back');
  }
}
