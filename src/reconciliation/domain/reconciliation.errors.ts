import { errorOf } from '../../common/errors/domain-error';

export class ReconciliationNotFoundError extends errorOf('RECONCILIATION_NOT_FOUND', 404) {
  constructor() {
    super('No such reconciliation');
  }
}
