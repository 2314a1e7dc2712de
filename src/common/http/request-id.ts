import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Keeps a caller's X-Request-Id when it is sane (so traces join up), else makes one. The
 * request context and the access log both ask, in either order: the answer's header makes the
 * second ask return the same id.
 */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = res.getHeader('X-Request-Id');
  if (typeof given === 'string') return given;
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}
