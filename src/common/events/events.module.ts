import { Global, Module } from '@nestjs/common';
import { OutboxWriter } from './outbox.writer';
import { SyncEventPublisher } from './sync-event-publisher';

@Global()
@Module({ providers: [SyncEventPublisher, OutboxWriter], exports: [SyncEventPublisher, OutboxWriter] })
export class EventsModule {}
