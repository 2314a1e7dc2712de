import 'reflect-metadata';
import { IsOptional, IsString, Matches } from 'class-validator';

/** The event log's NATS JetStream. */
export class EventLogSettings {
  /** NATS with JetStream that the event log is published to; unset = no event log (nothing recorded for it). */
  @IsOptional() @IsString() @Matches(/^(nats|tls):\/\/[^\s,]+$/, { message: 'NATS_URL must be one nats:// or tls:// URL' })
  NATS_URL?: string;

  /** The JetStream stream of the event log (subjects shop.orders.>), created when missing. */
  @IsString() @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'EVENT_LOG_STREAM must be 1..64 of [A-Za-z0-9_-]' })
  EVENT_LOG_STREAM = 'SHOP_ORDERS';
}
