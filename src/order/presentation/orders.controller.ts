import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { AuthUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { Idempotent } from '../../common/http/idempotency/idempotent.decorator';
import { CancelOrderUseCase } from '../application/cancel-order.use-case';
import { CreateOrderUseCase } from '../application/create-order.use-case';
import { GetOrderUseCase } from '../application/get-order.use-case';
import { ListOrdersUseCase } from '../application/list-orders.use-case';
import { CreateOrderRequest } from './create-order.request';
import { ListOrdersQuery } from './list-orders.query';
import { OrderPageResponse, OrderResponse } from './order.response';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { OrderNotCancellableError, OrderNotFoundError, OrderedProductNotFoundError, TooManyOpenOrdersError } from '../domain/order.errors';
import { CouponNotAvailableError, CouponNotFoundError } from '../../coupon/domain/coupon.errors';
import { InsufficientStockError } from '../../product/domain/product.errors';
import { PaymentGatewayUnavailableError } from '../../payment/domain/payment.errors';

@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly createOrder: CreateOrderUseCase,
    private readonly listOrders: ListOrdersUseCase,
    private readonly getOrder: GetOrderUseCase,
    private readonly cancelOrder: CancelOrderUseCase,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Place an order', description: 'Prices the items from the catalog, applies the coupon if one is named, and reserves the stock: the order is PENDING until it is paid, cancelled or expires (ORDER_TTL_SECONDS). Safe to retry with an Idempotency-Key.' })
  @ApiCreatedResponse({ type: OrderResponse, description: 'PENDING, with its quantities reserved' })
  @ApiErrors(ValidationFailedError, OrderedProductNotFoundError, CouponNotFoundError, InsufficientStockError, CouponNotAvailableError, TooManyOpenOrdersError)
  @Idempotent()
  create(@CurrentUser() user: AuthUser, @Body() body: CreateOrderRequest): Promise<OrderResponse> {
    return this.createOrder.execute(user.id, body);
  }

  @Get()
  @ApiOperation({ summary: 'List my orders', description: "The caller's orders, newest first, optionally only those of one status." })
  @ApiOkResponse({ type: OrderPageResponse, description: 'Your orders, newest first' })
  @ApiErrors(ValidationFailedError)
  list(@CurrentUser() user: AuthUser, @Query() query: ListOrdersQuery): Promise<OrderPageResponse> {
    return this.listOrders.execute(user.id, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read an order', description: "One of the caller's orders; another user's answers 404." })
  @ApiOkResponse({ type: OrderResponse, description: 'The order' })
  @ApiErrors(ValidationFailedError, OrderNotFoundError)
  get(@CurrentUser() user: AuthUser, @Param('id', IdParamPipe) id: number): Promise<OrderResponse> {
    return this.getOrder.execute(user.id, id);
  }

  @Post(':id/cancel')
  @ApiOperation({
    summary: 'Cancel an order',
    description:
      'Cancels a PENDING order and releases the stock it reserved. An order AWAITING_DEPOSIT is cancelled once its virtual account is closed at the gateway: 409 if the deposit came first (the order is paid instead), 503 if the gateway cannot close it now (nothing changed).',
  })
  @HttpCode(200)
  @ApiOkResponse({ type: OrderResponse, description: 'CANCELLED, its reservation released' })
  @ApiErrors(ValidationFailedError, OrderNotFoundError, OrderNotCancellableError, PaymentGatewayUnavailableError)
  cancel(@CurrentUser() user: AuthUser, @Param('id', IdParamPipe) id: number): Promise<OrderResponse> {
    return this.cancelOrder.execute(user.id, id);
  }
}
