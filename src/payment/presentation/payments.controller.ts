import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { AuthUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { Idempotent } from '../../common/http/idempotency/idempotent.decorator';
import { GetPaymentUseCase } from '../application/get-payment.use-case';
import { ProcessPaymentUseCase } from '../application/process-payment.use-case';
import { PayOrderRequest } from './pay-order.request';
import { PaymentResponse } from './payment.response';
import { UnauthorizedError } from '../../common/auth/auth.errors';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { OrderNotFoundError, OrderNotPayableError } from '../../order/domain/order.errors';
import { PaymentInProgressError, PaymentNotFoundError } from '../domain/payment.errors';
import { InsufficientBalanceError } from '../../user/domain/balance.errors';
import { CouponNotAvailableError } from '../../coupon/domain/coupon.errors';
import { InsufficientStockError } from '../../product/domain/product.errors';

@ApiTags('payments')
@ApiBearerAuth()
@ApiErrors(UnauthorizedError)
@Controller('payments')
export class PaymentsController {
  constructor(
    private readonly processPayment: ProcessPaymentUseCase,
    private readonly getPayment: GetPaymentUseCase,
  ) {}

  @Post()
  @Idempotent()
  @ApiCreatedResponse({ type: PaymentResponse, description: 'The order is PAID, its stock sold, its coupon USED, the balance lower' })
  @ApiErrors(ValidationFailedError, OrderNotFoundError, OrderNotPayableError, PaymentInProgressError, InsufficientBalanceError, CouponNotAvailableError, InsufficientStockError)
  pay(@CurrentUser() user: AuthUser, @Body() body: PayOrderRequest): Promise<PaymentResponse> {
    return this.processPayment.execute(user.id, body.orderId);
  }

  @Get(':id')
  @ApiOkResponse({ type: PaymentResponse })
  @ApiErrors(ValidationFailedError, PaymentNotFoundError)
  get(@CurrentUser() user: AuthUser, @Param('id', IdParamPipe) id: number): Promise<PaymentResponse> {
    return this.getPayment.execute(user.id, id);
  }
}
