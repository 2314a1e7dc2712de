import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AdminOnly } from '../../auth/auth.decorators';
import { ApiErrors } from '../../docs/api-errors.decorator';
import { errorOf } from '../../errors/domain-error';
import { IdParamPipe } from '../../http/id-param.pipe';
import { PageQuery } from '../../pagination/page.query';
import { OUTBOX_COUNT_CAP, OutboxRepository, OutboxRow } from './outbox.repository';
import type { OutboxStatus } from './outbox.repository';
import { OutboxRelay } from './outbox-relay';
import { ValidationFailedError } from '../../errors/domain-error';

const STATUSES: OutboxStatus[] = ['PENDING', 'DELIVERED', 'DEAD'];

export class OutboxEventNotFoundError extends errorOf('OUTBOX_EVENT_NOT_FOUND', 404) {
  constructor() {
    super('No such outbox event');
  }
}

export class OutboxEventNotDeadError extends errorOf('OUTBOX_EVENT_NOT_DEAD', 409) {
  constructor(status: string) {
    super(`Only a DEAD event can be retried; this one is ${status}`);
  }
}

class OutboxQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional() @IsIn(STATUSES)
  status?: OutboxStatus;
}

class OutboxEventResponse {
  @ApiProperty() id: number;
  @ApiProperty({ description: 'Shared by every consumer row of one event; sent as Idempotency-Key' }) eventId: string;
  @ApiProperty({ description: "The event's type, as its publishing module names it" }) eventType: string;
  @ApiProperty({ description: 'The consumer this row is for (one row per event and consumer)' }) consumer: string;
  @ApiProperty({ description: 'The id of the entity the event is about (for the shop\'s events, the order)' }) aggregateId: number;
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty() nextAttemptAt: Date;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt: Date | null;
}

class OutboxPageResponse {
  @ApiProperty({ type: [OutboxEventResponse] }) items: OutboxEventResponse[];
  @ApiProperty({ description: `Events that match, counted up to ${OUTBOX_COUNT_CAP.toLocaleString('en-US')}: a count of the whole table per page would scan it`, maximum: OUTBOX_COUNT_CAP })
  total: number;
  @ApiProperty({ description: `True when more than ${OUTBOX_COUNT_CAP.toLocaleString('en-US')} events match (total then says ${OUTBOX_COUNT_CAP.toLocaleString('en-US')})` })
  totalCapped: boolean;
}

/** The operator's view of after-commit delivery: what is stuck, and a way to replay it. */
@ApiTags('operations')
@AdminOnly()
@Controller('admin/outbox')
export class OutboxAdminController {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List outbox events', description: 'After-commit deliveries, one row per event and consumer, newest first; ?status=DEAD lists what needs an operator.' })
  @ApiOkResponse({ type: OutboxPageResponse, description: 'Newest first; ?status=DEAD lists what needs an operator' })
  @ApiErrors(ValidationFailedError)
  list(@Query() query: OutboxQuery): Promise<OutboxPageResponse> {
    return this.outbox.list(query.status, query.page, query.size);
  }

  @Post(':id/retry')
  @ApiOperation({ summary: 'Retry a dead-lettered event', description: 'Puts a DEAD row back to PENDING with a fresh set of attempts and delivers it right away; only a DEAD row can be retried.' })
  @HttpCode(200)
  @ApiOkResponse({ type: OutboxEventResponse, description: 'Back to PENDING with a fresh set of attempts, delivered right away' })
  @ApiErrors(ValidationFailedError, OutboxEventNotFoundError, OutboxEventNotDeadError)
  async retry(@Param('id', IdParamPipe) id: number): Promise<OutboxRow> {
    const revived = await this.outbox.revive(id);
    if (!revived) {
      const existing = await this.outbox.find(id);
      throw existing ? new OutboxEventNotDeadError(existing.status) : new OutboxEventNotFoundError();
    }
    void this.relay.drain();
    return revived;
  }
}
