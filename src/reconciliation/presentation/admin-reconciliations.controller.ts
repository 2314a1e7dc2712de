import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../../common/auth/auth.decorators';
import { ForbiddenError, UnauthorizedError } from '../../common/auth/auth.errors';
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
@ApiBearerAuth()
@AdminOnly()
@ApiErrors(UnauthorizedError, ForbiddenError)
@Controller('admin/reconciliations')
export class AdminReconciliationsController {
  constructor(
    private readonly run: RunReconciliationUseCase,
    private readonly get: GetReconciliationUseCase,
  ) {}

  @Post()
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
  @ApiOkResponse({ type: ReconciliationResponse })
  @ApiErrors(ValidationFailedError, ReconciliationNotFoundError)
  find(@Param('id', IdParamPipe) id: number): Promise<ReconciliationResponse> {
    return this.get.execute(id);
  }
}
