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
