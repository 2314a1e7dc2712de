import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';

/**
 * Raw SQL on the current CLS transaction (or the pool outside one). TypeORM's Postgres driver
 * answers UPDATE and DELETE with `[rows, rowCount]` but other statements with `rows`; callers
 * here always get the rows, so `RETURNING` guards read the same everywhere.
 */
@Injectable()
export class Sql {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  async rows<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const result: unknown = await this.txHost.tx.query(text, params);
    if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
      return result[0] as T[];
    }
    return result as T[];
  }

  async one<T>(text: string, params: unknown[] = []): Promise<T | null> {
    return (await this.rows<T>(text, params))[0] ?? null;
  }
}
