import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { ReceiveGatewayWebhookUseCase } from '../application/receive-gateway-webhook.use-case';

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
  @ApiOkResponse({ type: WebhookReceivedResponse, description: 'Stored (or stored before); acted on after, by re-reading the payment from the gateway' })
  @ApiErrors(ValidationFailedError)
  receiveWebhook(@Req() req: Request): Promise<WebhookReceivedResponse> {
    // The raw parsed JSON, not a DTO: the gateway's Payment object has fields the shop does not
    // declare, and what the shop acts on is re-read from the gateway anyway.
    return this.receive.execute(req.body);
  }
}
