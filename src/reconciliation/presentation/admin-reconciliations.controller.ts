import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../../common/auth/auth.decorators';
import { ForbiddenError } from '../../common/auth/auth.errors';
import { ApiErrors } from '../../common/docs/api-errors.decorator';
import { ValidationFailedError } from '../../common/errors/domain-error';
import { IdParamPipe } from '../../common/http/id-param.pipe';
import { PaymentGatewayUnavailableError } from '../../payment/domain/payment.errors';
import { GetReconciliationUseCase } from '../application/get-reconciliation.use-case';
import { RunReconciliationUseCase } from '../application/run-reconciliation.use-case';
import { ReconciliationNotFoundError } from '../domain/reconciliation.errors';
import { ReconciliationResponse } from './reconciliation.response';
import { RunReconciliationRequest } from './run-reconciliation.request';

const MAX_WINDOW_MS = 31 * 86_400_000;

@ApiTags('reconciliation')
@AdminOnly()
@ApiErrors(ForbiddenError)
@Controller('admin/reconciliations')
export class AdminReconciliationsController {
  constructor(
    private readonly run: RunReconciliationUseCase,
    private readonly get: GetReconciliationUseCase,
  ) {}

  @Post()
  @ApiOperation({
    summary: "Reconcile a window against the gateway's transactions",
    description:
      "Holds the gateway's transaction list of [from, to) against the shop's payments and refunds, repairs what is safe (a charge no payment holds is cancelled, a cancel the shop did not record is recorded) and reports every mismatch with RECONCILIATION_MISMATCH. The same also runs daily for the previous day in Asia/Seoul.",
  })
  @ApiCreatedResponse({ type: ReconciliationResponse, description: "The window held against the gateway's transaction list, what was repaired, what needs an operator" })
  @ApiErrors(ValidationFailedError, PaymentGatewayUnavailableError)
  async create(@Body() body: RunReconciliationRequest): Promise<ReconciliationResponse> {
    const from = new Date(body.from);
    const to = new Date(body.to);
    if (!(from < to)) throw new ValidationFailedError('Validation failed', ['to must be after from']);
    if (to.getTime() - from.getTime() > MAX_WINDOW_MS) throw new ValidationFailedError('Validation failed', ['the window is at most 31 days']);
    return (await this.run.execute({ from, to, trigger: 'ADMIN' }))!;
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a reconciliation', description: 'One stored reconciliation report, with its mismatches and what was done about each.' })
  @ApiOkResponse({ type: ReconciliationResponse, description: 'The stored report' })
  @ApiErrors(ValidationFailedError, ReconciliationNotFoundError)
  find(@Param('id', IdParamPipe) id: number): Promise<ReconciliationResponse> {
    return this.get.execute(id);
  }
}
