import { EntitySubscriberInterface, EventSubscriber, TransactionStartEvent } from 'typeorm';
import { SET_FOR_TRANSACTION } from './session-settings';

/**
 * Behind PgBouncer in transaction mode a connection is a server session only until its
 * transaction ends, and PgBouncer refuses session settings at connect. So every transaction
 * (units of work, @Transactional, migrations) sets them itself as it begins, at the cost of one
 * round trip; they end with it, so the server session PgBouncer hands on carries nothing of ours.
 */
@EventSubscriber()
export class TransactionSettingsSubscriber implements EntitySubscriberInterface {
  async afterTransactionStart({ queryRunner }: TransactionStartEvent): Promise<void> {
    await queryRunner.query(SET_FOR_TRANSACTION);
  }
}
