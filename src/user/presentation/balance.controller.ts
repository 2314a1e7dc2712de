import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { AuthUser } from '../../common/auth/auth-user';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { Idempotent } from '../../common/http/idempotency/idempotent.decorator';
import { ChargeBalanceUseCase } from '../application/charge-balance.use-case';
import { GetBalanceUseCase } from '../application/get-balance.use-case';
import { ListBalanceLogsUseCase } from '../application/list-balance-logs.use-case';
import { BalanceLogsQuery } from './balance-logs.query';
import { BalanceLogPageResponse, BalanceResponse } from './balance.response';
import { ChargeBalanceRequest } from './charge-balance.request';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { BalanceLimitExceededError } from '../domain/balance.errors';

@ApiTags('balance')
@Controller('me/balance')
export class BalanceController {
  constructor(
    private readonly getBalance: GetBalanceUseCase,
    private readonly chargeBalance: ChargeBalanceUseCase,
    private readonly listLogs: ListBalanceLogsUseCase,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Read the balance', description: "The caller's balance in won; a new user's is 0." })
  @ApiOkResponse({ type: BalanceResponse, description: "The caller's balance" })
  get(@CurrentUser() user: AuthUser): Promise<BalanceResponse> {
    return this.getBalance.execute(user.id);
  }

  @Post('charge')
  @ApiOperation({ summary: 'Charge the balance', description: 'Adds amount won and records a CHARGE log; the balance holds at most 1,000,000,000 won. Safe to retry with an Idempotency-Key.' })
  @HttpCode(200)
  @ApiOkResponse({ type: BalanceResponse, description: 'The balance may hold at most 1,000,000,000 won' })
  @ApiErrors(ValidationFailedError, BalanceLimitExceededError)
  @Idempotent()
  charge(@CurrentUser() user: AuthUser, @Body() body: ChargeBalanceRequest): Promise<BalanceResponse> {
    return this.chargeBalance.execute(user.id, body.amount);
  }

  @Get('logs')
  @ApiOperation({ summary: 'List balance logs', description: "The caller's ledger (CHARGE, USE, REFUND), newest first, limit entries at a time: pass nextCursor as cursor for the next page." })
  @ApiOkResponse({ type: BalanceLogPageResponse, description: 'A page of logs, newest first' })
  @ApiErrors(ValidationFailedError)
  logs(@CurrentUser() user: AuthUser, @Query() query: BalanceLogsQuery): Promise<BalanceLogPageResponse> {
    return this.listLogs.execute(user.id, query.limit, query.cursor);
  }
}
