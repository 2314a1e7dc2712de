import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { ReceiveGatewayWebhookUseCase } from '../application/receive-gateway-webhook.use-case';
import { DepositSecretMismatchError } from '../domain/payment.errors';

export class WebhookReceivedResponse {
  @ApiProperty({ enum: [true] }) received: true;
  @ApiProperty({ description: 'The very same webhook was received before: nothing more will come of it' }) duplicate: boolean;
}

/** The payment gateway's webhooks: no bearer token (the gateway sends none), stored and answered at once. */
@ApiTags('payments')
@SkipThrottle()
@Controller('webhooks/payment-gateway')
export class GatewayWebhooksController {
  constructor(private readonly receive: ReceiveGatewayWebhookUseCase) {}

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: "Receive the payment gateway's webhooks",
    description:
      "Toss v1 PAYMENT_STATUS_CHANGED and the virtual-account deposit callback, without a bearer token. Stored and answered at once; acted on after, by re-reading the payment from the gateway (a webhook is a hint, never the truth). The same webhook again changes nothing; a deposit callback whose secret is not the one the gateway issued answers 401.",
  })
  @ApiOkResponse({ type: WebhookReceivedResponse, description: 'Stored (or stored before); acted on after, by re-reading the payment from the gateway' })
  @ApiErrors(ValidationFailedError, DepositSecretMismatchError)
  receiveWebhook(@Req() req: Request): Promise<WebhookReceivedResponse> {
    // The raw parsed JSON, not a DTO: the gateway's Payment object has fields the shop does not
    // declare, and what the shop acts on is re-read from the gateway anyway.
    return this.receive.execute(req.body);
  }
}
