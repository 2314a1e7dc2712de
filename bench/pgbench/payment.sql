-- One balance payment exactly as POST /payments runs it for scenario 1 (one item, no coupon, no
-- Idempotency-Key): the payment as one statement with no transaction block, which reads the order
-- itself (src/common/database/one-statement.ts, issue 21, lever 14), the same parts in the same
-- order. Not included: the Redis lock around it and the outbox relay's later work. Keep it in step
-- with src/ (checked against a log_statement = all trace of one real POST /payments, 2026-12-04):
-- where the app binds paid_at and the outbox rows as parameters, this script writes now() and
-- builds the rows in SQL; three consumers, as the bench's server has them (no NATS_URL: no event-log row).
-- Each client pays its own orders with no extra round trip: its n-th payment takes order
-- n × clients + client_id + 1, owned by the user of the same id, whose one item is one unit of
-- option ((order - 1) mod options) + 1 (see fill.sql). The app knows nothing of the order but its id
-- and its user before the statement, and neither does this script.
-- Run with: pgbench -n -M extended -D n=0 -D clients=<c> -c <c> -f payment.sql
\set oid :n * :clients + :client_id + 1
\set uid :oid
WITH order_claimed AS (UPDATE orders SET status = 'PAID', paid_at = now()::timestamptz
       WHERE id = :oid::bigint AND user_id = :uid::bigint AND status = 'PENDING' AND expires_at > now()
       RETURNING id, user_id, user_coupon_id, original_amount, discount_amount, final_amount),
order_lines AS (SELECT product_option_id, quantity FROM order_items WHERE order_id = :oid::bigint),
stock_locked AS (SELECT id FROM product_options WHERE id IN (SELECT product_option_id FROM order_lines) AND (SELECT count(*) FROM order_lines) > 1 ORDER BY id FOR UPDATE),
stock_sold AS (UPDATE product_options o SET on_hand = o.on_hand - s.quantity, reserved = o.reserved - s.quantity, updated_at = now()
       FROM order_lines s
       WHERE o.id = s.product_option_id AND o.reserved >= s.quantity RETURNING o.id),
balance_debited AS (UPDATE user_accounts SET balance = balance - (SELECT final_amount FROM order_claimed), updated_at = now()
       WHERE id = :uid::bigint AND balance >= (SELECT final_amount FROM order_claimed) AND (SELECT final_amount FROM order_claimed) > 0 RETURNING balance, (SELECT final_amount FROM order_claimed) AS amount),
balance_logged AS (INSERT INTO balance_logs (user_id, type, amount, balance_after, order_id)
       SELECT :uid::bigint, 'USE', amount, balance, :oid::bigint FROM balance_debited),
checked AS (SELECT shop_check((SELECT count(*) FROM order_claimed) = 1, 'order_claimed') AS c0, shop_check((SELECT count(*) FROM stock_locked) = CASE WHEN (SELECT count(*) FROM order_lines) > 1 THEN (SELECT count(*) FROM order_lines) ELSE 0 END, 'stock_locked') AS c1, shop_check((SELECT count(*) FROM stock_sold) = (SELECT count(*) FROM order_lines), 'stock_sold') AS c2, shop_check((SELECT user_coupon_id FROM order_claimed) IS NULL, 'order_without_coupon') AS c3, shop_check(EXISTS (SELECT 1 FROM balance_debited) OR (SELECT final_amount FROM order_claimed) = 0, 'balance_debited') AS c4),
payment_written AS (INSERT INTO payments (order_id, user_id, amount, method, status, completed_at, ended_at)
       SELECT :oid::bigint, :uid::bigint, (SELECT final_amount FROM order_claimed), 'BALANCE', 'COMPLETED', now(), now()
       FROM checked RETURNING payments.id, payments.order_id AS "orderId", payments.user_id AS "userId", payments.amount, payments.method, payments.status,
  payments.approval_number AS "approvalNumber", payments.failure_code AS "failureCode", payments.payment_key AS "paymentKey",
  payments.gateway_order_id AS "gatewayOrderId", payments.easy_pay_provider AS "easyPayProvider", payments.virtual_account AS "virtualAccount",
  payments.created_at AS "createdAt", payments.completed_at AS "completedAt"),
outbox_written AS (INSERT INTO outbox_events (event_id, consumer, event_type, aggregate_id, payload, next_attempt_at)
       SELECT r.event_id, r.consumer, r.event_type, r.aggregate_id, r.payload || (SELECT jsonb_build_object('userId', user_id, 'originalAmount', original_amount, 'discountAmount', discount_amount,
        'finalAmount', final_amount, 'items', (SELECT json_agg(json_build_object('productId', product_id, 'productOptionId', product_option_id,
  'quantity', quantity, 'unitPrice', unit_price) ORDER BY id) FROM order_items WHERE order_id = order_claimed.id)) FROM order_claimed) || jsonb_build_object('paymentId', (SELECT id FROM payment_written), 'paymentMethod', 'BALANCE'), now()
       FROM (SELECT e.id AS event_id, c.consumer, 'order.processed'::varchar AS event_type, :oid::bigint AS aggregate_id,
              jsonb_build_object('orderId', :oid::bigint, 'userId', :uid::bigint, 'originalAmount', 0, 'discountAmount', 0, 'finalAmount', 0, 'items', '[]'::jsonb,
                'occurredAt', now(), 'eventType', 'ORDER_PAID', 'paymentId', 0, 'paymentMethod', '', 'eventId', e.id) AS payload
             FROM (SELECT gen_random_uuid() AS id) e,
                  unnest(ARRAY['sales-ranking', 'data-platform-export', 'order-completed-push']::varchar[]) AS c (consumer)) AS r, checked)
SELECT * FROM payment_written;
\set n :n + 1
