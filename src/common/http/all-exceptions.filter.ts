import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { redactUrl } from '../logging/redact-url';
import { toErrorBody } from './error-body';
import { IdempotentReplay } from './idempotency/idempotent-replay';

/** The single place where a thrown error becomes an HTTP answer. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    this.logger.setContext(AllExceptionsFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    if (exception instanceof IdempotentReplay) {
      res.status(exception.status).setHeader('Idempotent-Replayed', 'true');
      if (exception.body === null) res.end();
      else res.json(exception.body);
      return;
    }
    const body = toErrorBody(exception);
    if (body.statusCode === 503) {
      this.logger.warn({ err: exception, method: req.method, url: redactUrl(req.originalUrl) }, 'backing service unavailable');
      res.setHeader('Retry-After', '1');
    } else if (body.statusCode >= 500) {
      this.logger.error({ err: exception, method: req.method, url: redactUrl(req.originalUrl) }, 'unhandled error');
    }
    if (res.headersSent) return;
    res.status(body.statusCode).json(body);
  }
}
