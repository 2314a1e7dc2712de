import { Injectable } from '@nestjs/common';
import { Sql } from '../../common/database/sql';

export interface PaymentRow {
  id: number;
  orderId: number;
  userId: number;
  amount: number;
  method: 'BALANCE';
  status: 'COMPLETED';
  createdAt: Date;
}

const COLUMNS = `id, order_id AS "orderId", user_id AS "userId", amount, method, status, created_at AS "createdAt"`;

@Injectable()
export class PaymentRepository {
  constructor(private readonly sql: Sql) {}

  /** UNIQUE (order_id) backs the order's PENDING guard: one payment per order, whatever happens. */
  async insert(orderId: number, userId: number, amount: number): Promise<PaymentRow> {
    const [row] = await this.sql.rows<PaymentRow>(
      `INSERT INTO payments (order_id, user_id, amount, method, status) VALUES ($1, $2, $3, 'BALANCE', 'COMPLETED') RETURNING ${COLUMNS}`,
      [orderId, userId, amount],
    );
    return row;
  }

  async findForUser(userId: number, paymentId: number): Promise<PaymentRow | null> {
    return this.sql.one<PaymentRow>(`SELECT ${COLUMNS} FROM payments WHERE id = $1 AND user_id = $2`, [paymentId, userId]);
  }
}
