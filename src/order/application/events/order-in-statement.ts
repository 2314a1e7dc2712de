/**
 * An order that a one statement (OneStatement) changes and reads itself, so that no round trip
 * comes before it (issue 21): its figures as SQL over the statement's parts, for the other
 * modules' parts to take them from, as the payment's events carry it to their listeners.
 */
export interface OrderInStatement {
  orderId: number;
  userId: number;
  /** SQL expression: the order's user coupon, or NULL. */
  userCouponIdSql: string;
  /** SQL expression: won the order costs (its final amount). */
  amountSql: string;
  /** A part of the statement (its name): the order's lines (product_option_id, quantity), one row per option. */
  linesPart: string;
  /** SQL expression: the order's figures as its after-commit events carry them (jsonb: userId, the amounts, items). */
  snapshotSql: string;
}
