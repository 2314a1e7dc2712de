-- One balance payment as POST /payments runs it the transaction way (an order with a coupon, a
-- request with an Idempotency-Key, or after the one statement's check failed; before issue 21's
-- one statement, every balance payment), for scenario 1's order of one item: the same statements,
-- in the same order, less the coupon and the key's record. PGBENCH_SCRIPT=transaction runs it. Not included: the Redis lock around
-- the transaction and the outbox relay's later work. Keep it in step with src/ (checked against a
-- log_statement = all trace of one real POST /payments).
-- Each client pays its own orders with no extra round trip: its n-th transaction takes order
-- n × clients + client_id + 1, owned by the user of the same id, whose one item is one unit of
-- option ((order - 1) mod options) + 1 (see fill.sql), so the values the app reads from the
-- claim's JSON items are known here without parsing JSON.
-- Run with: pgbench -n -M extended -D n=0 -D clients=<c> -D options=200 -c <c> -f payment-transaction.sql
\set oid :n * :clients + :client_id + 1
\set uid :oid
\set opt ((:oid - 1) % :options) + 1
\set pid (:opt + 1) / 2
\set qty 1
BEGIN;
WITH claimed AS (
         UPDATE orders SET status = 'PAID'::varchar, paid_at = CASE WHEN 'PAID'::varchar = 'PAID' THEN now() END
         WHERE id = :oid AND user_id = :uid AND status = 'PENDING' AND expires_at > now() RETURNING *)
       SELECT claimed.id, claimed.user_id AS "userId", claimed.status, claimed.user_coupon_id AS "userCouponId",
  claimed.original_amount AS "originalAmount", claimed.discount_amount AS "discountAmount", claimed.final_amount AS "finalAmount",
  claimed.refunded_amount AS "refundedAmount",
  claimed.created_at AS "createdAt", claimed.expires_at AS "expiresAt", claimed.paid_at AS "paidAt",
              (SELECT json_agg(json_build_object('productId', product_id, 'productOptionId', product_option_id,
                                                 'quantity', quantity, 'unitPrice', unit_price) ORDER BY id)
               FROM order_items WHERE order_id = claimed.id) AS items
       FROM claimed \gset o_
UPDATE product_options SET on_hand = on_hand - :qty, reserved = reserved - :qty, updated_at = now()
       WHERE id = :opt AND reserved >= :qty RETURNING id;
WITH debited AS (
         UPDATE user_accounts SET balance = balance - :o_finalAmount, updated_at = now()
         WHERE id = :uid AND balance >= :o_finalAmount RETURNING balance)
       INSERT INTO balance_logs (user_id, type, amount, balance_after, order_id)
       SELECT :uid, 'USE', :o_finalAmount, balance, :oid FROM debited RETURNING balance_after AS balance;
INSERT INTO payments (order_id, user_id, amount, method, status, completed_at, ended_at)
       VALUES (:oid, :uid, :o_finalAmount, 'BALANCE', 'COMPLETED', now(), now())
       RETURNING payments.id, payments.order_id AS "orderId", payments.user_id AS "userId", payments.amount, payments.method, payments.status,
  payments.approval_number AS "approvalNumber", payments.failure_code AS "failureCode", payments.created_at AS "createdAt",
  payments.completed_at AS "completedAt" \gset p_
INSERT INTO outbox_events (event_id, consumer, event_type, aggregate_id, payload, next_attempt_at)
       SELECT e.id, c.consumer, 'order.processed', :oid,
              jsonb_build_object('orderId', :oid::bigint, 'userId', :uid::bigint,
                'originalAmount', :o_originalAmount::bigint, 'discountAmount', :o_discountAmount::bigint, 'finalAmount', :o_finalAmount::bigint,
                'items', jsonb_build_array(jsonb_build_object('productId', :pid::bigint, 'productOptionId', :opt::bigint,
                  'quantity', :qty::int, 'unitPrice', :o_finalAmount::bigint)),
                'occurredAt', now(), 'eventType', 'ORDER_PAID', 'paymentId', :p_id::bigint, 'paymentMethod', 'BALANCE', 'eventId', e.id),
              now() + make_interval(secs => 0 / 1000.0)
       FROM (SELECT gen_random_uuid() AS id) e,
            unnest(ARRAY['sales-ranking', 'data-platform-export', 'order-completed-push']::varchar[]) AS c (consumer);
COMMIT;
\set n :n + 1
