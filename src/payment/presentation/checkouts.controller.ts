import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { AuthUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { Idempotent } from '../../common/http/idempotency/idempotent.decorator';
import { OrderNotFoundError, OrderNotPayableError } from '../../order/domain/order.errors';
import { CreateCheckoutUseCase } from '../application/create-checkout.use-case';
import { PaymentMethodUnavailableError } from '../domain/payment.errors';
import { CheckoutResponse } from './checkout.response';
import { CreateCheckoutRequest } from './create-checkout.request';

@ApiTags('payments')
@Controller('orders/:id/checkout')
export class CheckoutsController {
  constructor(private readonly createCheckout: CreateCheckoutUseCase) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Check out an order for the payment gateway',
    description:
      "Prepares a gateway payment (CARD, EASY_PAY or VIRTUAL_ACCOUNT) of a PENDING order of the caller: what the client opens the gateway's checkout widget with. Every checkout issues a new gatewayOrderId, so an order whose charge was cancelled can be paid again.",
  })
  @ApiCreatedResponse({ type: CheckoutResponse, description: 'What to open the gateway checkout widget with; a new gatewayOrderId every time' })
  @ApiErrors(ValidationFailedError, PaymentMethodUnavailableError, OrderNotFoundError, OrderNotPayableError)
  create(@CurrentUser() user: AuthUser, @Param('id', IdParamPipe) orderId: number, @Body() body: CreateCheckoutRequest): Promise<CheckoutResponse> {
    return this.createCheckout.execute(user.id, orderId, body.method);
  }
}
