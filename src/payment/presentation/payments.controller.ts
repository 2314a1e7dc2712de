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

@ApiTags('payments')
@ApiBearerAuth()
@ApiErrors('UNAUTHORIZED')
@Controller('payments')
export class PaymentsController {
  constructor(
    private readonly processPayment: ProcessPaymentUseCase,
    private readonly getPayment: GetPaymentUseCase,
  ) {}

  @Post()
  @Idempotent()
  @ApiCreatedResponse({ type: PaymentResponse, description: 'The order is PAID, its stock sold, its coupon USED, the balance lower' })
  @ApiErrors(
    'VALIDATION_FAILED',
    'ORDER_NOT_FOUND',
    'ORDER_NOT_PAYABLE',
    'PAYMENT_IN_PROGRESS',
    'INSUFFICIENT_BALANCE',
    'COUPON_NOT_AVAILABLE',
    'INSUFFICIENT_STOCK',
  )
  pay(@CurrentUser() user: AuthUser, @Body() body: PayOrderRequest): Promise<PaymentResponse> {
    return this.processPayment.execute(user.id, body.orderId);
  }

  @Get(':id')
  @ApiOkResponse({ type: PaymentResponse })
  @ApiErrors('VALIDATION_FAILED', 'PAYMENT_NOT_FOUND')
  get(@CurrentUser() user: AuthUser, @Param('id', IdParamPipe) id: number): Promise<PaymentResponse> {
    return this.getPayment.execute(user.id, id);
  }
}
