import type { NextFunction, Request, Response } from 'express';
import { ValidationFailedError } from '../errors/domain-error';

/** Headers whose second copy Node would silently drop (Authorization) or join with a comma (Idempotency-Key). */
const ONCE = new Set(['authorization', 'idempotency-key']);

/**
 * API.md, Limits: a header that must appear once and appears twice is a 400, before anything
 * (authentication included) reads it. Counted on the raw headers, the only place both copies are.
 */
export function refuseRepeatedHeaders(req: Request, _res: Response, next: NextFunction): void {
  const seen = new Set<string>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    if (!ONCE.has(name)) continue;
    if (seen.has(name)) return next(new ValidationFailedError(`The ${req.rawHeaders[i]} header must appear once`));
    seen.add(name);
  }
  next();
}
