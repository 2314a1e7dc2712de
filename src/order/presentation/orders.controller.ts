import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
import { UnauthorizedError } from '../../common/auth/auth.errors';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { OrderNotCancellableError, OrderNotFoundError, OrderedProductNotFoundError, TooManyOpenOrdersError } from '../domain/order.errors';
import { CouponNotAvailableError, CouponNotFoundError } from '../../coupon/domain/coupon.errors';
import { InsufficientStockError } from '../../product/domain/product.errors';

@ApiTags('orders')
@ApiBearerAuth()
@ApiErrors(UnauthorizedError)
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly createOrder: CreateOrderUseCase,
    private readonly listOrders: ListOrdersUseCase,
    private readonly getOrder: GetOrderUseCase,
    private readonly cancelOrder: CancelOrderUseCase,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: OrderResponse, description: 'PENDING, with its quantities reserved' })
  @ApiErrors(ValidationFailedError, OrderedProductNotFoundError, CouponNotFoundError, InsufficientStockError, CouponNotAvailableError, TooManyOpenOrdersError)
  @Idempotent()
  create(@CurrentUser() user: AuthUser, @Body() body: CreateOrderRequest): Promise<OrderResponse> {
    return this.createOrder.execute(user.id, body);
  }

  @Get()
  @ApiOkResponse({ type: OrderPageResponse, description: 'Your orders, newest first' })
  @ApiErrors(ValidationFailedError)
  list(@CurrentUser() user: AuthUser, @Query() query: ListOrdersQuery): Promise<OrderPageResponse> {
    return this.listOrders.execute(user.id, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrderResponse })
  @ApiErrors(ValidationFailedError, OrderNotFoundError)
  get(@CurrentUser() user: AuthUser, @Param('id', IdParamPipe) id: number): Promise<OrderResponse> {
    return this.getOrder.execute(user.id, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderResponse, description: 'CANCELLED, its reservation released' })
  @ApiErrors(ValidationFailedError, OrderNotFoundError, OrderNotCancellableError)
  cancel(@CurrentUser() user: AuthUser, @Param('id', IdParamPipe) id: number): Promise<OrderResponse> {
    return this.cancelOrder.execute(user.id, id);
  }
}
