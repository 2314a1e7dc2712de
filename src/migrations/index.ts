import { Foundation1763700000000 } from './1763700000000-foundation';
import { OrdersAndCoupons1763800000000 } from './1763800000000-orders-and-coupons';
import { Payments1763900000000 } from './1763900000000-payments';
import { OutboxRetention1764000000000 } from './1764000000000-outbox-retention';
import { OrderPaying1764100000000 } from './1764100000000-order-paying';
import { CardPayments1764200000000 } from './1764200000000-card-payments';
import { OpenOrdersAndCatalogTotal1764250000000 } from './1764250000000-open-orders-and-catalog-total';
import { OutboxOrderedClaim1764260000000 } from './1764260000000-outbox-ordered-claim';
import { Refunds1764300000000 } from './1764300000000-refunds';
import { OutboxLease1764400000000 } from './1764400000000-outbox-lease';
import { RefundRequestKey1764500000000 } from './1764500000000-refund-request-key';
import { GatewayWord1764600000000 } from './1764600000000-gateway-word';
import { GatewayMethods1764700000000 } from './1764700000000-gateway-methods';
import { OneStatementCheck1764800000000 } from './1764800000000-one-statement-check';

/** Listed explicitly (not globbed) so the same list works from ts sources in tests and from dist. */
export const MIGRATIONS = [
  Foundation1763700000000,
  OrdersAndCoupons1763800000000,
  Payments1763900000000,
  OutboxRetention1764000000000,
  OrderPaying1764100000000,
  CardPayments1764200000000,
  OpenOrdersAndCatalogTotal1764250000000,
  OutboxOrderedClaim1764260000000,
  Refunds1764300000000,
  OutboxLease1764400000000,
  RefundRequestKey1764500000000,
  GatewayWord1764600000000,
  GatewayMethods1764700000000,
  OneStatementCheck1764800000000,
];
