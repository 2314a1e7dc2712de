import { Injectable } from '@nestjs/common';

/**
 * How long a request may legitimately keep its socket silent, as the modules that serve such
 * requests declare it (a payment waiting on its gateway): the HTTP server's socket timeout is
 * set from it, and never cuts one of those requests short.
 */
@Injectable()
export class HttpServerLimits {
  private longest = 0;

  /** A module's requests may take up to `ms` without a byte moving on their socket. */
  allowRequestsLasting(ms: number): void {
    this.longest = Math.max(this.longest, ms);
  }

  get longestRequestMs(): number {
    return this.longest;
  }
}
