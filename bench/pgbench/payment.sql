-- One payment exactly as POST /payments runs it for scenario 1 (one item, no coupon, no
-- Idempotency-Key), matching the code at commit 081a498: the same statements, in the same order,
-- in one transaction. Not included: the Redis lock around it and the outbox relay's later work.
-- Each client pays its own orders with no extra round trip: its n-th transaction takes order
-- n × clients + client_id + 1, owned by the user of the same id, whose one item is one unit of
-- option ((order - 1) mod options) + 1 (see fill.sql), so the values the app reads from the
-- claim's JSON items are known here without parsing JSON.
-- Run with: pgbench -n -M extended -D n=0 -D clients=<c> -D options=200 -c <c> -f payment.sql
\set oid :n * :clients + :client_id + 1
\set uid :oid
\set opt ((:oid - 1) % :options) + 1
\set pid (:opt + 1) / 2
\set qty 1
BEGIN;
WITH paid AS (
         UPDATE orders SET status = 'PAID', paid_at = now()
         WHERE id = :oid AND user_id = :uid AND status = 'PENDING' AND expires_at > now() RETURNING *)
       SELECT paid.id, paid.user_id AS "userId", paid.status, paid.user_coupon_id AS "userCouponId",
  paid.original_amount AS "originalAmount", paid.discount_amount AS "discountAmount", paid.final_amount AS "finalAmount",
  paid.created_at AS "createdAt", paid.expires_at AS "expiresAt", paid.paid_at AS "paidAt",
              (SELECT json_agg(json_build_object('productId', product_id, 'productOptionId', product_option_id,
                                                 'quantity', quantity, 'unitPrice', unit_price) ORDER BY id)
               FROM order_items WHERE order_id = paid.id) AS items
       FROM paid \gset o_
UPDATE product_options SET on_hand = on_hand - :qty, reserved = reserved - :qty, updated_at = now()
       WHERE id = :opt AND reserved >= :qty RETURNING id;
WITH debited AS (
         UPDATE user_accounts SET balance = balance - :o_finalAmount, updated_at = now()
         WHERE id = :uid AND balance >= :o_finalAmount RETURNING balance)
       INSERT INTO balance_logs (user_id, type, amount, balance_after, order_id)
       SELECT :uid, 'USE', :o_finalAmount, balance, :oid FROM debited RETURNING balance_after AS balance;
INSERT INTO payments (order_id, user_id, amount, method, status) VALUES (:oid, :uid, :o_finalAmount, 'BALANCE', 'COMPLETED') RETURNING id, order_id AS "orderId", user_id AS "userId", amount, method, status, created_at AS "createdAt";
INSERT INTO outbox_events (event_id, consumer, event_type, aggregate_id, payload)
       SELECT e.id, c.consumer, 'order.processed', :oid,
              jsonb_build_object('eventId', e.id, 'eventType', 'ORDER_PAID', 'orderId', :oid::bigint, 'userId', :uid::bigint,
                'originalAmount', :o_originalAmount::bigint, 'discountAmount', :o_discountAmount::bigint, 'finalAmount', :o_finalAmount::bigint,
                'items', jsonb_build_array(jsonb_build_object('quantity', :qty::int, 'productId', :pid::bigint,
                  'unitPrice', :o_finalAmount::bigint, 'productOptionId', :opt::bigint)),
                'occurredAt', now())
       FROM (SELECT gen_random_uuid() AS id) e,
            unnest(ARRAY['sales-ranking', 'data-platform-export', 'order-completed-push']::varchar[]) AS c (consumer);
COMMIT;
\set n :n + 1
