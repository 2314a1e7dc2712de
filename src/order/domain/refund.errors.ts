import { errorOf } from '../../common/errors/domain-error';

/**
 * A refund asks for more units of an option than the order paid for and has not refunded or
 * held for a refund yet. An option the order does not hold has 0 such units, so naming one
 * lands here too: API.md has no separate code for it.
 */
export class RefundExceedsPaidError extends errorOf('REFUND_EXCEEDS_PAID', 409) {
  constructor(
    readonly productOptionId: number,
    readonly requested: number,
    readonly refundable: number,
  ) {
    super(`Option ${productOptionId}: ${requested} units asked, ${refundable} left to refund`);
  }
}

/** Every unit of the order is refunded or held by a refund in progress: a refund of "everything left" has nothing to take. */
export class NothingLeftToRefundError extends errorOf('REFUND_EXCEEDS_PAID', 409) {
  constructor() {
    super('Every unit of this order is refunded or held by a refund in progress');
  }
}

/** The units asked for are worth more than the payment still holds at the gateway (a cancel made there took some). */
export class RefundExceedsWonLeftError extends errorOf('REFUND_EXCEEDS_PAID', 409) {
  constructor(
    readonly requested: number,
    readonly left: number,
  ) {
    super(`These units return ${requested} won, and ${left} won are left to refund`);
  }
}
