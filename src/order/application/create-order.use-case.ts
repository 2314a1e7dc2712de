import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { RequestLogContext } from '../../common/logging/request-log-context';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { SyncEventPublisher } from '../../common/events/sync-event-publisher';
import { CouponWallet } from '../../coupon/application/coupon-wallet.facade';
import { ProductCatalog } from '../../product/application/product-catalog.facade';
import { OrderedProductNotFoundError } from '../domain/order.errors';
import { PricedItem, RequestedItem, amountsOf, assertMayOpenOrder, assertOrderItems, inLockOrder, originalAmountOf } from '../domain/order';
import { OrderStore, OrderWithItems } from './ports/order-store.port';
import { OrderPlacingEvent } from './events/order-placing.event';
import { OrderMetrics } from '../order.metrics';
import { OrderSettings } from '../order.settings';

export interface CreateOrderCommand {
  items: RequestedItem[];
  userCouponId?: number;
}

/**
 * Prices the items from the catalog (a client never sends an amount), applies the coupon's
 * discount without claiming the coupon (that happens at payment), and reserves the stock in
 * the same transaction: either the order exists with its stock held, or nothing happened.
 * First of all, the user's open orders are counted under a lock of that user's, so that
 * concurrent requests cannot together pass MAX_OPEN_ORDERS_PER_USER.
 */
@Injectable()
export class CreateOrderUseCase {
  constructor(
    private readonly catalog: ProductCatalog,
    private readonly wallet: CouponWallet,
    private readonly orders: OrderStore,
    private readonly events: SyncEventPublisher,
    private readonly unitOfWork: UnitOfWork,
    private readonly config: OrderSettings,
    private readonly metrics: OrderMetrics,
    private readonly logger: PinoLogger,
    private readonly logContext: RequestLogContext,
  ) {
    this.logger.setContext(CreateOrderUseCase.name);
  }

  async execute(userId: number, command: CreateOrderCommand): Promise<OrderWithItems> {
    assertOrderItems(command.items);
    const placed = await this.unitOfWork.run(async () => {
      await this.orders.lockOrderPlacement(userId);
      assertMayOpenOrder(await this.orders.countOpen(userId), this.config.MAX_OPEN_ORDERS_PER_USER);
      const items = await this.price(command.items);
      const userCouponId = command.userCouponId ?? null;
      const discount = userCouponId ? (await this.wallet.quote(userId, userCouponId, originalAmountOf(items))).discountAmount : 0;

      const order = await this.orders.insert(userId, userCouponId, amountsOf(items, discount), this.config.ORDER_TTL_SECONDS);
      await this.orders.insertItems(order.id, items);
      await this.events.publish(new OrderPlacingEvent(order.id, userId, userCouponId, inLockOrder(items)));
      return { ...order, items: items.map(({ productId, productOptionId, quantity, unitPrice }) => ({ productId, productOptionId, quantity, unitPrice })) };
    });
    this.metrics.placed.inc();
    this.logContext.assign({ orderId: placed.id });
    this.logger.info({ orderId: placed.id, finalAmount: placed.finalAmount, items: placed.items.length }, 'order placed');
    return placed;
  }

  private async price(requested: RequestedItem[]): Promise<PricedItem[]> {
    const options = new Map((await this.catalog.findOptions(requested.map((i) => i.productOptionId))).map((o) => [o.optionId, o]));
    const missing = requested.filter((i) => !options.has(i.productOptionId)).map((i) => i.productOptionId);
    if (missing.length > 0) throw new OrderedProductNotFoundError(missing);
    return requested.map((i) => {
      const option = options.get(i.productOptionId)!;
      return { ...i, productId: option.productId, unitPrice: option.unitPrice };
    });
  }
}
