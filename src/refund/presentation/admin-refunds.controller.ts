import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminOnly, CurrentUser } from '../../common/auth/auth.decorators';
import type { AuthUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { Idempotent } from '../../common/http/idempotency/idempotent.decorator';
import { OrderNotFoundError, OrderNotRefundableError } from '../../order/domain/order.errors';
import { RefundExceedsPaidError } from '../../order/domain/refund.errors';
import { ListRefundsUseCase } from '../application/list-refunds.use-case';
import { RefundOrderUseCase } from '../application/refund-order.use-case';
import type { Refund } from '../domain/refund';
import { RefundAccountRequiredError } from '../domain/refund.errors';
import { RefundOrderRequest } from './refund-order.request';
import { RefundResponse } from './refund.response';

/** 202 while the gateway has not confirmed a card refund, 201 once it is done: the same for the answer and its replay. */
const statusOf = (refund: Refund) => (refund.status === 'PROCESSING' ? 202 : 201);

@ApiTags('refunds')
@AdminOnly()
@Controller('admin/orders/:id/refunds')
export class AdminRefundsController {
  constructor(
    private readonly refundOrder: RefundOrderUseCase,
    private readonly listRefunds: ListRefundsUseCase,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Refund an order', description: 'Refunds some or all units of a PAID or PARTIALLY_REFUNDED order: to the balance at once, or cancelled at the payment gateway for an order paid through it (202 until the gateway confirms); a virtual-account order needs refundReceiveAccount. Safe to retry with an Idempotency-Key.' })
  @Idempotent({ statusOf })
  @ApiCreatedResponse({ type: RefundResponse, description: 'COMPLETED: the money is back (balance, or cancelled at the gateway), units refunded' })
  @ApiAcceptedResponse({ type: RefundResponse, description: 'PROCESSING: the gateway has not confirmed the cancel yet; it completes later' })
  @ApiErrors(ValidationFailedError, RefundAccountRequiredError, OrderNotFoundError, OrderNotRefundableError, RefundExceedsPaidError)
  async refund(
    @Param('id', IdParamPipe) orderId: number,
    @Body() body: RefundOrderRequest,
    @CurrentUser() admin: AuthUser,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RefundResponse> {
    const refund = await this.refundOrder.execute(orderId, { ...body, requestKey: key === undefined ? undefined : `${admin.id}:${key}` });
    res.status(statusOf(refund));
    return refund;
  }

  @Get()
  @ApiOperation({ summary: "List an order's refunds", description: 'Every refund of the order, oldest first.' })
  @ApiOkResponse({ type: [RefundResponse], description: 'Every refund of the order, oldest first' })
  @ApiErrors(ValidationFailedError, OrderNotFoundError)
  list(@Param('id', IdParamPipe) orderId: number): Promise<RefundResponse[]> {
    return this.listRefunds.execute(orderId);
  }
}
