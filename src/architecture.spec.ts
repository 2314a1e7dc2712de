import { MODULE_METADATA } from '@nestjs/common/constants';
import { CartModule } from './cart/cart.module';
import { CouponWallet } from './coupon/application/coupon-wallet.facade';
import { CouponModule } from './coupon/coupon.module';
import { EventLogModule } from './event-log/event-log.module';
import { OrderPayments } from './order/application/order-payments.facade';
import { OrderRefunds } from './order/application/order-refunds.facade';
import { OrderModule } from './order/order.module';
import { PaymentBooks } from './payment/application/payment-books.facade';
import { PaymentRefunds } from './payment/application/payment-refunds.facade';
import { RefundBooks } from './refund/application/refund-books.facade';
import { PaymentModule } from './payment/payment.module';
import { ProductCatalog } from './product/application/product-catalog.facade';
import { ProductModule } from './product/product.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { RefundModule } from './refund/refund.module';
import { UserModule } from './user/user.module';

/**
 * What dependency-cruiser (.dependency-cruiser.cjs, run by `npm test`) cannot see: Nest's
 * injector hands a module's providers to whoever imports the module, whatever the import lines
 * say. A business module therefore exports its one facade and nothing else, the same facades
 * the file rules allow across module borders.
 */
const FACADES = new Map<object, unknown[]>([
  [ProductModule, [ProductCatalog]],
  [CouponModule, [CouponWallet]],
  [OrderModule, [OrderPayments, OrderRefunds]],
  [UserModule, []],
  [CartModule, []],
  [PaymentModule, [PaymentRefunds, PaymentBooks]],
  [RefundModule, [RefundBooks]],
  [ReconciliationModule, []],
  [EventLogModule, []],
]);

describe('architecture', () => {
  it.each([...FACADES].map(([module, facades]) => [(module as { name: string }).name, module, facades]))(
    '%s exports only its facade',
    (_, module, facades) => {
      expect(Reflect.getMetadata(MODULE_METADATA.EXPORTS, module as object) ?? []).toEqual(facades);
    },
  );
});
