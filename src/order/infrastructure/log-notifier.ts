import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { Notifier, OrderCompletedNotice } from '../application/ports/notifier.port';

/** The default Notifier: writes the push it would send to the log. */
@Injectable()
export class LogNotifier implements Notifier {
  constructor(private readonly logger: PinoLogger) {
    this.logger.setContext(LogNotifier.name);
  }

  async orderCompleted(notice: OrderCompletedNotice): Promise<void> {
    this.logger.info({ ...notice, push: 'order-completed' }, 'push: your order is complete');
  }
}
