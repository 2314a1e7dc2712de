import { Foundation1763700000000 } from './1763700000000-foundation';
import { OrdersAndCoupons1763800000000 } from './1763800000000-orders-and-coupons';
import { Payments1763900000000 } from './1763900000000-payments';
import { OutboxRetention1764000000000 } from './1764000000000-outbox-retention';
import { OrderPaying1764100000000 } from './1764100000000-order-paying';
import { OutboxOrderedClaim1764250000000 } from './1764250000000-outbox-ordered-claim';

/** Listed explicitly (not globbed) so the same list works from ts sources in tests and from dist. */
export const MIGRATIONS = [Foundation1763700000000, OrdersAndCoupons1763800000000, Payments1763900000000, OutboxRetention1764000000000, OrderPaying1764100000000, OutboxOrderedClaim1764250000000];
