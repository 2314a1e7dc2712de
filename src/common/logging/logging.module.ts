import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { requestId } from '../http/request-id';
import { redactUrl } from './redact-url';

/**
 * JSON lines through pino. Every line written while serving a request carries its `reqId`
 * (and `userId` once authenticated); tokens are never logged, also not from a URL (redactUrl).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        assignResponse: true,
        pinoHttp: {
          level: config.LOG_LEVEL,
          genReqId: requestId,
          timestamp: stdTimeFunctions.isoTime,
          customProps: (req: IncomingMessage & { id?: unknown }) => ({ reqId: req.id }),
          redact: ['req.headers.authorization', 'req.headers.cookie'],
          serializers: {
            req: (req: IncomingMessage & { id?: string }) => ({ method: req.method, url: redactUrl(req.url ?? '') }),
            res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
          },
          customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
            // 503 means "a backing service is down": expected during an outage, logged once by the filter.
            res.statusCode === 503 ? 'warn' : err || res.statusCode >= 500 ? 'error' : 'info',
          autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/metrics' },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
