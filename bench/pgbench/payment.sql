-- One balance payment exactly as POST /payments runs it for scenario 1 (one item, no coupon, no
-- Idempotency-Key): the order read, then the payment as one statement with no transaction block
-- (src/common/database/one-statement.ts, issue 21), the same parts in the same order. Not
-- included: the Redis lock around it and the outbox relay's later work. Keep it in step with src/
-- (checked against a log_statement = all trace of one real POST /payments).
-- Each client pays its own orders with no extra round trip: its n-th payment takes order
-- n × clients + client_id + 1, owned by the user of the same id, whose one item is one unit of
-- option ((order - 1) mod options) + 1 (see fill.sql), so the values the app reads from the
-- order's JSON items are known here without parsing JSON.
-- Run with: pgbench -n -M extended -D n=0 -D clients=<c> -D options=200 -c <c> -f payment.sql
\set oid :n * :clients + :client_id + 1
\set uid :oid
\set opt ((:oid - 1) % :options) + 1
\set pid (:opt + 1) / 2
\set qty 1
SELECT orders.id, orders.user_id AS "userId", orders.status, orders.user_coupon_id AS "userCouponId",
  orders.original_amount AS "originalAmount", orders.discount_amount AS "discountAmount", orders.final_amount AS "finalAmount",
  orders.refunded_amount AS "refundedAmount",
  orders.created_at AS "createdAt", orders.expires_at AS "expiresAt", orders.paid_at AS "paidAt",
  (SELECT json_agg(json_build_object('productId', product_id, 'productOptionId', product_option_id,
  'quantity', quantity, 'unitPrice', unit_price) ORDER BY id) FROM order_items WHERE order_id = orders.id) AS items
       FROM orders WHERE id = :oid AND user_id = :uid AND status = 'PENDING' AND expires_at > now() \gset o_
WITH order_claimed AS (UPDATE orders SET status = 'PAID', paid_at = now()::timestamptz
       WHERE id = :oid::bigint AND user_id = :uid::bigint AND status = 'PENDING' AND expires_at > now()
       RETURNING id),
stock_sold AS (UPDATE product_options o SET on_hand = o.on_hand - s.quantity, reserved = o.reserved - s.quantity, updated_at = now()
       FROM unnest(ARRAY[:opt]::bigint[], ARRAY[:qty]::int[]) AS s (id, quantity)
       WHERE o.id = s.id AND o.reserved >= s.quantity RETURNING o.id),
balance_debited AS (UPDATE user_accounts SET balance = balance - :o_finalAmount::bigint, updated_at = now() WHERE id = :uid::bigint AND balance >= :o_finalAmount::bigint RETURNING balance),
balance_logged AS (INSERT INTO balance_logs (user_id, type, amount, balance_after, order_id)
       SELECT :uid::bigint, 'USE', :o_finalAmount::bigint, balance, :oid::bigint FROM balance_debited),
checked AS (SELECT shop_check((SELECT count(*) FROM order_claimed) = 1, 'order_claimed') AS c0, shop_check((SELECT count(*) FROM stock_sold) = 1, 'stock_sold') AS c1, shop_check(EXISTS (SELECT 1 FROM balance_debited), 'balance_debited') AS c2),
payment_written AS (INSERT INTO payments (order_id, user_id, amount, method, status, completed_at, ended_at)
       SELECT :oid::bigint, :uid::bigint, :o_finalAmount::bigint, 'BALANCE', 'COMPLETED', now(), now()
       FROM checked RETURNING payments.id, payments.order_id AS "orderId", payments.user_id AS "userId", payments.amount, payments.method, payments.status,
  payments.approval_number AS "approvalNumber", payments.failure_code AS "failureCode", payments.payment_key AS "paymentKey",
  payments.gateway_order_id AS "gatewayOrderId", payments.easy_pay_provider AS "easyPayProvider", payments.virtual_account AS "virtualAccount",
  payments.created_at AS "createdAt", payments.completed_at AS "completedAt"),
outbox_written AS (INSERT INTO outbox_events (event_id, consumer, event_type, aggregate_id, payload, next_attempt_at)
       SELECT r.event_id, r.consumer, r.event_type, r.aggregate_id, r.payload || jsonb_build_object('paymentId', (SELECT id FROM payment_written)), now()
       FROM (SELECT e.id AS event_id, c.consumer, 'order.processed'::varchar AS event_type, :oid::bigint AS aggregate_id,
              jsonb_build_object('orderId', :oid::bigint, 'userId', :uid::bigint,
                'originalAmount', :o_originalAmount::bigint, 'discountAmount', :o_discountAmount::bigint, 'finalAmount', :o_finalAmount::bigint,
                'items', jsonb_build_array(jsonb_build_object('productId', :pid::bigint, 'productOptionId', :opt::bigint,
                  'quantity', :qty::int, 'unitPrice', :o_finalAmount::bigint)),
                'occurredAt', now(), 'eventType', 'ORDER_PAID', 'paymentId', 0, 'paymentMethod', 'BALANCE', 'eventId', e.id) AS payload
             FROM (SELECT gen_random_uuid() AS id) e,
                  unnest(ARRAY['sales-ranking', 'data-platform-export', 'order-completed-push']::varchar[]) AS c (consumer)) AS r, checked)
SELECT * FROM payment_written;
\set n :n + 1
