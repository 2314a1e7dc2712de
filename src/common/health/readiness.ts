import { Injectable } from '@nestjs/common';

/**
 * Whether this instance still wants traffic. From the shutdown signal on it does not, and
 * `/health` says so (503) to a load balancer probing on a connection still open, while the
 * requests already accepted are answered.
 */
@Injectable()
export class Readiness {
  private stopping = false;

  get draining(): boolean {
    return this.stopping;
  }

  drain(): void {
    this.stopping = true;
  }
}
