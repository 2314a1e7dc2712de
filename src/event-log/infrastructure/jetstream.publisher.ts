import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { jetstream, JetStreamApiCodes, JetStreamApiError, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, InvalidArgumentError } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { PinoLogger } from 'nestjs-pino';
import { EventLogMessage, SCHEMA_VERSION } from '../domain/event-log-message';
import { EventLogPublisher } from '../application/ports/event-log-publisher.port';
import { EventLogMetrics } from '../event-log.metrics';
import { eventLogStream } from './event-log-stream';
import { CommonSettings } from '../../common/config/common.settings';
import { UndeliverableEventError } from '../../common/events/outbox/delivery-errors';
import { EventLogSettings } from '../event-log.settings';

const CONNECT_TIMEOUT_MS = 2_000;
/**
 * Far below OUTBOX_LEASE_MS: an attempt has given up before its lease runs out and another
 * relay may publish the same event, so a late copy can only land as a duplicate of it.
 */
const ACK_TIMEOUT_MS = 5_000;

/**
 * The event log on a NATS JetStream stream, the event id as message id (Nats-Msg-Id), which the
 * stream's duplicate window deduplicates on.
 *
 * NATS is not on the payment path: start-up neither waits for it nor fails without it. The
 * connection is made on first use, reconnects by itself, and while it is down a publication
 * fails at once (the outbox retries it) instead of waiting for an ack that cannot come. The
 * stream is created when missing, at start-up and again after any failed publication, so a
 * deleted stream comes back with the next event.
 */
@Injectable()
export class JetStreamPublisher implements EventLogPublisher, OnApplicationBootstrap, OnApplicationShutdown {
  private connection: Promise<NatsConnection> | null = null;
  private connected = false;
  private stream: Promise<void> | null = null;

  constructor(
    private readonly config: EventLogSettings,
    private readonly common: CommonSettings,
    private readonly logger: PinoLogger,
    private readonly metrics: EventLogMetrics,
  ) {
    this.logger.setContext(JetStreamPublisher.name);
  }

  onApplicationBootstrap(): void {
    this.ready().catch((error: unknown) =>
      this.logger.warn({ err: error, stream: this.config.EVENT_LOG_STREAM }, 'event log not reachable at start-up; events wait in the outbox'),
    );
  }

  /** Runs after the relay stopped (beforeApplicationShutdown), so no publication is cut off. */
  async onApplicationShutdown(): Promise<void> {
    const nc = await this.connection?.catch(() => null);
    await nc?.close();
  }

  async publish(message: EventLogMessage): Promise<void> {
    try {
      const nc = await this.ready();
      const h = headers();
      h.set('Shop-Event-Type', message.eventType);
      h.set('Shop-Schema-Version', String(SCHEMA_VERSION));
      const ack = await jetstream(nc).publish(message.subject, JSON.stringify(message.body), { msgID: message.eventId, headers: h, timeout: ACK_TIMEOUT_MS });
      this.metrics.published(ack.duplicate ? 'duplicate' : 'published');
    } catch (error) {
      if (refusedForGood(error)) {
        this.metrics.published('refused');
        throw new UndeliverableEventError(`the event log refuses ${message.eventType} ${message.eventId} for good: ${(error as Error).message}`, 'EVENT_LOG_PARKED');
      }
      // The stream may have been deleted: look for it again before the next publication.
      this.stream = null;
      this.metrics.published('failed');
      throw error;
    }
  }

  private async ready(): Promise<NatsConnection> {
    const nc = await (this.connection ??= this.connect());
    if (!this.connected) throw new Error(`NATS at ${this.config.NATS_URL} is disconnected; reconnecting`);
    await (this.stream ??= this.ensureStream(nc).catch((error: unknown) => {
      this.stream = null;
      throw error;
    }));
    return nc;
  }

  private async connect(): Promise<NatsConnection> {
    let nc: NatsConnection;
    try {
      nc = await connect({ servers: this.config.NATS_URL, name: 'shop-payments', timeout: CONNECT_TIMEOUT_MS, maxReconnectAttempts: -1, reconnectTimeWait: 1_000 });
    } catch (error) {
      this.connection = null;
      throw error;
    }
    this.connected = true;
    void this.follow(nc);
    return nc;
  }

  private async follow(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        this.connected = false;
        this.stream = null;
        this.logger.warn({ server: status.server }, 'event log: NATS disconnected; publications wait in the outbox');
      } else if (status.type === 'reconnect') {
        this.connected = true;
        this.logger.info({ server: status.server }, 'event log: NATS reconnected');
      }
    }
    this.connected = false;
    this.connection = null;
  }

  private async ensureStream(nc: NatsConnection): Promise<void> {
    const wanted = eventLogStream({ ...this.config, OUTBOX_LEASE_MS: this.common.OUTBOX_LEASE_MS, OUTBOX_BACKOFF_MAX_MS: this.common.OUTBOX_BACKOFF_MAX_MS });
    const jsm = await jetstreamManager(nc, { timeout: ACK_TIMEOUT_MS });
    try {
      const { config } = await jsm.streams.info(wanted.name);
      if (config.duplicate_window < wanted.duplicate_window!) {
        await jsm.streams.update(wanted.name, { duplicate_window: wanted.duplicate_window });
        this.logger.info({ stream: wanted.name, duplicateWindowNs: wanted.duplicate_window }, 'event log stream: duplicate window widened');
      }
    } catch (error) {
      if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
      await jsm.streams.add(wanted);
      this.logger.info({ stream: wanted.name, subjects: wanted.subjects }, 'event log stream created');
    }
  }
}

/**
 * What no retry can change: the message is bigger than the stream (JetStream's 10054, "message
 * size exceeds maximum allowed") or the server (the client's max_payload check) takes. Anything
 * else (no connection, no ack, no stream) passes, and is retried.
 */
function refusedForGood(error: unknown): boolean {
  if (error instanceof JetStreamApiError) return PERMANENT_API_ERRORS.has(error.code);
  return error instanceof InvalidArgumentError && /max_payload/.test(error.message);
}

const PERMANENT_API_ERRORS = new Set([10054]);
