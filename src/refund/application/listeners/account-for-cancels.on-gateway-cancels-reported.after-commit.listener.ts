import { Injectable } from '@nestjs/common';
import { OnOutboxEvent } from '../../../common/events/outbox/on-outbox-event.decorator';
import { GatewayCancelsReportedEvent } from '../../../payment/application/events/gateway-cancels-reported.event';
import { RefundSettlement } from '../refund-settlement';

export const GATEWAY_CANCELS_CONSUMER = 'gateway-cancels';

/** After commit: the gateway's cancels of a payment held against the shop's refunds (RefundSettlement.account), once each. */
@Injectable()
export class AccountForCancelsOnGatewayCancelsReported {
  constructor(private readonly settlement: RefundSettlement) {}

  @OnOutboxEvent(GatewayCancelsReportedEvent, GATEWAY_CANCELS_CONSUMER)
  async account(event: GatewayCancelsReportedEvent): Promise<void> {
    await this.settlement.account({ paymentId: event.paymentId, orderId: event.orderId }, event.cancels);
  }
}
