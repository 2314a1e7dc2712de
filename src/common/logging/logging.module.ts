import { Global, Module } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import { levels, stdTimeFunctions } from 'pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestId } from '../http/request-id';
import { redactUrl } from './redact-url';
import { RequestLogContext, requestLogFields } from './request-log-context';
import { CommonSettings } from '../config/common.settings';

/**
 * JSON lines through pino. Every line written while serving a request carries its `reqId`
 * (and `userId`, `orderId` once known, see RequestLogContext); tokens are never logged, also
 * not from a URL (redactUrl). The access log (pino-http, one line per request at `info`) is
 * mounted only when LOG_LEVEL lets its lines through: above `info` it would build a child
 * logger per request for nothing. Failures are logged by the exception filter either way.
 */
@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [CommonSettings, ClsService],
      useFactory: (config: CommonSettings, cls: ClsService) => ({
        assignResponse: true,
        forRoutes: accessLogOn(config.LOG_LEVEL) ? undefined : [],
        pinoHttp: {
          level: config.LOG_LEVEL,
          mixin: requestLogFields(cls),
          genReqId: requestId,
          timestamp: stdTimeFunctions.isoTime,
          redact: ['req.headers.authorization', 'req.headers.cookie'],
          serializers: {
            req: (req: IncomingMessage & { id?: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url ?? '') }),
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
  providers: [RequestLogContext],
  exports: [RequestLogContext],
})
export class LoggingModule {}

function accessLogOn(level: CommonSettings['LOG_LEVEL']): boolean {
  return level !== 'silent' && levels.values[level] <= levels.values.info;
}
