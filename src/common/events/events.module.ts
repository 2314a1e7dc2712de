import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OutboxAdminController } from './outbox/outbox-admin.controller';
import { OutboxBacklog } from './outbox/outbox-backlog';
import { OutboxConsumers } from './outbox/outbox-consumers';
import { OutboxHistory } from './outbox/outbox-history';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxRepository } from './outbox/outbox.repository';
import { OutboxWriter } from './outbox/outbox.writer';
import { PurgeDeliveredOutboxJob } from './outbox/purge-delivered-outbox.job';
import { SyncEventPublisher } from './sync-event-publisher';
import { SyncListenerCheck } from './sync-listener-check';

@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [OutboxAdminController],
  providers: [SyncEventPublisher, SyncListenerCheck, OutboxWriter, OutboxConsumers, OutboxRepository, OutboxRelay, OutboxHistory, OutboxBacklog, PurgeDeliveredOutboxJob],
  exports: [SyncEventPublisher, OutboxWriter, OutboxRelay, OutboxHistory, OutboxBacklog],
})
export class EventsModule {}
