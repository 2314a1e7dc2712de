import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Metrics } from './metrics';

const SCRAPE_ROUTE = '/metrics';

/**
 * Times every request at the Express level, so guards, pipes, filters and 404s are included.
 * The route is the matched template, never the raw URL: ids in paths would make one series per
 * order. It is known only once the router has matched, hence the lookup on finish.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = routeTemplate(req);
      if (route !== SCRAPE_ROUTE) end({ route, status: String(res.statusCode) });
    });
    next();
  }
}

/**
 * Nest mounts middleware for all routes with Express's all(), which sets req.route as well, to a
 * route answering every method: a request that no controller matched ends on such a mount.
 * A controller route answers one method.
 */
function routeTemplate(req: Request): string {
  const route = req.route as { path: string; methods: Record<string, boolean> } | undefined;
  return route && Object.keys(route.methods).length === 1 ? `${req.baseUrl}${route.path}` : 'unmatched';
}
