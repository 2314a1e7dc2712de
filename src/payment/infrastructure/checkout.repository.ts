import { Injectable } from '@nestjs/common';
import type { OneStatement } from '../../common/database/one-statement';
import { Sql } from '../../common/database/sql';
import { CheckoutMethod, CheckoutRecord, CheckoutStore } from '../application/ports/checkout-store.port';

const COLUMNS = `id, order_id AS "orderId", user_id AS "userId", gateway_order_id AS "gatewayOrderId", method, amount, created_at AS "createdAt"`;

@Injectable()
export class CheckoutRepository implements CheckoutStore {
  constructor(private readonly sql: Sql) {}

  async insert(orderId: number, userId: number, method: CheckoutMethod, amount: number): Promise<CheckoutRecord> {
    // The id is drawn first so that the gateway order id can carry it: unique for ever, like the id.
    const [row] = await this.sql.rows<CheckoutRecord>(
      `INSERT INTO checkouts (id, order_id, user_id, gateway_order_id, method, amount)
       SELECT n, $1::bigint, $2::bigint, 'order-' || $1::bigint::text || '-' || n::text, $3, $4 FROM (SELECT nextval('checkouts_id_seq') AS n) s
       RETURNING ${COLUMNS}`,
      [orderId, userId, method, amount],
    );
    return row;
  }

  find(orderId: number, gatewayOrderId: string): Promise<CheckoutRecord | null> {
    return this.sql.one<CheckoutRecord>(`SELECT ${COLUMNS} FROM checkouts WHERE order_id = $1 AND gateway_order_id = $2`, [orderId, gatewayOrderId]);
  }

  latestOf(orderId: number): Promise<CheckoutRecord | null> {
    return this.sql.one<CheckoutRecord>(`SELECT ${COLUMNS} FROM checkouts WHERE order_id = $1 ORDER BY id DESC LIMIT 1`, [orderId]);
  }

  namedPart(statement: OneStatement, orderId: number, named: string): string {
    statement.guard(
      'checkout_named',
      `SELECT gateway_order_id FROM checkouts WHERE order_id = ${statement.param(orderId, 'bigint')} AND gateway_order_id = ${statement.param(named, 'varchar')}`,
      '(SELECT count(*) FROM checkout_named) = 1',
    );
    return '(SELECT gateway_order_id FROM checkout_named)';
  }

  latestPart(statement: OneStatement, orderId: number): string {
    return `(SELECT gateway_order_id FROM checkouts WHERE order_id = ${statement.param(orderId, 'bigint')} ORDER BY id DESC LIMIT 1)`;
  }
}
