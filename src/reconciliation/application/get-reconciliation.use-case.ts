import { Injectable } from '@nestjs/common';
import { ReconciliationNotFoundError } from '../domain/reconciliation.errors';
import { Reconciliation, ReconciliationStore } from './ports/reconciliation-store.port';

@Injectable()
export class GetReconciliationUseCase {
  constructor(private readonly store: ReconciliationStore) {}

  async execute(id: number): Promise<Reconciliation> {
    const found = await this.store.find(id);
    if (!found) throw new ReconciliationNotFoundError();
    return found;
  }
}
