import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import Redis from 'ioredis';
import { Public } from '../auth/auth.decorators';
import { errorResponseSchema } from '../docs/error-schema';
import { ErrorBody } from '../http/error-body';
import { REDIS } from '../redis/redis.module';
import { Readiness } from './readiness';

const DRAINING: ErrorBody = { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'Draining: this instance is shutting down' };

@ApiTags('operations')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly readiness: Readiness,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Readiness', description: '200 while Postgres and Redis answer; 503 when either does not, or from SIGTERM on while the instance drains, so that a load balancer stops sending it requests.' })
  @Public()
  @HealthCheck()
  @ApiOkResponse({ description: 'Postgres and Redis answer' })
  @ApiServiceUnavailableResponse({
    description: 'SERVICE_UNAVAILABLE: Postgres or Redis does not answer, or the instance is draining (shutting down)',
    schema: errorResponseSchema(['SERVICE_UNAVAILABLE']),
  })
  async check(@Res() res: Response): Promise<void> {
    // Answered here rather than thrown: the error filter would log each probe as a backing service down.
    if (this.readiness.draining) {
      res.status(503).json(DRAINING);
      return;
    }
    res.json(await this.health.check([() => this.db.pingCheck('postgres', { timeout: 1_500 }), () => this.pingRedis()]));
  }

  private async pingRedis() {
    const session = this.indicators.check('redis');
    try {
      await this.redis.ping();
      return session.up();
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}
