import { DynamicModule, Module } from '@nestjs/common';
import { PublishToEventLogOnOrderAndPaymentEvents } from './application/listeners/publish-to-event-log.on-order-and-payment-events.after-commit.listener';
import { EventLogPublisher } from './application/ports/event-log-publisher.port';
import { EventLogMetrics } from './event-log.metrics';
import { JetStreamPublisher } from './infrastructure/jetstream.publisher';
import { EventLogSettings } from './event-log.settings';
import { AsyncApiController } from './presentation/asyncapi.controller';

/**
 * The shop's events on NATS JetStream. Without NATS_URL there is no event log: its consumer is
 * not registered, so no outbox rows are written for it (rows that would wait forever), and an
 * instance without it leaves rows written by instances with it alone. The document is served
 * either way: it is the contract, not this instance's state.
 */
@Module({ controllers: [AsyncApiController] })
export class EventLogModule {
  static forRoot(config: Pick<EventLogSettings, 'NATS_URL'>): DynamicModule {
    return {
      module: EventLogModule,
      providers: config.NATS_URL ? [{ provide: EventLogPublisher, useClass: JetStreamPublisher }, EventLogMetrics, PublishToEventLogOnOrderAndPaymentEvents] : [],
    };
  }
}
