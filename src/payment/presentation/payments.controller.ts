import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { AuthUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { Idempotent } from '../../common/http/idempotency/idempotent.decorator';
import { CouponNotAvailableError } from '../../coupon/domain/coupon.errors';
import { OrderNotFoundError, OrderNotPayableError } from '../../order/domain/order.errors';
import { InsufficientStockError } from '../../product/domain/product.errors';
import { InsufficientBalanceError } from '../../user/domain/balance.errors';
import { GetPaymentUseCase } from '../application/get-payment.use-case';
import { ListOrderPaymentsUseCase } from '../application/list-order-payments.use-case';
import { PayThroughGatewayUseCase } from '../application/pay-through-gateway.use-case';
import { PayWithBalanceUseCase } from '../application/pay-with-balance.use-case';
import {
  CardDeclinedError,
  PaymentGatewayError,
  PaymentGatewayUnavailableError,
  PaymentInProgressError,
  PaymentMethodUnavailableError,
  PaymentNotFoundError,
  UnknownCheckoutError,
} from '../domain/payment.errors';
import type { Payment } from '../domain/payment';
import { PayOrderRequest } from './pay-order.request';
import { PaymentResponse } from './payment.response';

/** 202 while the outcome is not known yet or a virtual account waits for its deposit, 201 once paid: the same rule for the answer and its replay. */
const statusOf = (payment: Payment) => (payment.status === 'PROCESSING' || payment.status === 'AWAITING_DEPOSIT' ? 202 : 201);

@ApiTags('payments')
@Controller()
export class PaymentsController {
  constructor(
    private readonly payWithBalance: PayWithBalanceUseCase,
    private readonly payThroughGateway: PayThroughGatewayUseCase,
    private readonly getPayment: GetPaymentUseCase,
    private readonly listOrderPayments: ListOrderPaymentsUseCase,
  ) {}

  @Post('payments')
  @ApiOperation({ summary: 'Pay an order', description: "Pays a PENDING order of the caller its finalAmount: from the balance (method BALANCE, the default) or by card through the payment gateway (method CARD, with the paymentKey of the gateway's checkout widget). 201 once paid, 202 while the card's outcome is not known yet. Safe to retry with an Idempotency-Key." })
  @Idempotent({ statusOf })
  @ApiCreatedResponse({ type: PaymentResponse, description: 'COMPLETED: the order is PAID, its stock sold, its coupon USED, the money taken' })
  @ApiAcceptedResponse({
    type: PaymentResponse,
    description: 'PROCESSING: the gateway has not said yet (read it later with GET /payments/:id); AWAITING_DEPOSIT: a virtual account was issued (virtualAccount), the order is paid by its deposit',
  })
  @ApiErrors(
    ValidationFailedError,
    PaymentMethodUnavailableError,
    OrderNotFoundError,
    OrderNotPayableError,
    PaymentInProgressError,
    InsufficientBalanceError,
    CardDeclinedError,
    CouponNotAvailableError,
    InsufficientStockError,
    PaymentGatewayUnavailableError,
    PaymentGatewayError,
    UnknownCheckoutError,
  )
  async pay(@CurrentUser() user: AuthUser, @Body() body: PayOrderRequest, @Res({ passthrough: true }) res: Response): Promise<PaymentResponse> {
    let payment: Payment;
    if (body.method !== undefined && body.method !== 'BALANCE') {
      payment = await this.payThroughGateway.execute({ userId: user.id, orderId: body.orderId, method: body.method, paymentKey: body.paymentKey!, gatewayOrderId: body.gatewayOrderId });
    } else if (body.paymentKey !== undefined || body.gatewayOrderId !== undefined) {
      throw new ValidationFailedError('Validation failed', ['paymentKey and gatewayOrderId are sent only with a gateway method']);
    } else payment = await this.payWithBalance.execute(user.id, body.orderId);
    res.status(statusOf(payment));
    return payment;
  }

  @Get('payments/:id')
  @ApiOperation({ summary: 'Read a payment', description: 'One payment attempt of the caller, e.g. to follow a 202 PROCESSING one to its end.' })
  @ApiOkResponse({ type: PaymentResponse, description: 'The payment' })
  @ApiErrors(ValidationFailedError, PaymentNotFoundError)
  get(@CurrentUser() user: AuthUser, @Param('id', IdParamPipe) id: number): Promise<PaymentResponse> {
    return this.getPayment.execute(user.id, id);
  }

  @Get('orders/:id/payments')
  @ApiOperation({ summary: "List an order's payments", description: "Every attempt to pay one of the caller's orders, oldest first." })
  @ApiOkResponse({ type: [PaymentResponse], description: 'Every attempt to pay the order, oldest first' })
  @ApiErrors(ValidationFailedError, OrderNotFoundError)
  list(@CurrentUser() user: AuthUser, @Param('id', IdParamPipe) id: number): Promise<PaymentResponse[]> {
    return this.listOrderPayments.execute(user.id, id);
  }
}
