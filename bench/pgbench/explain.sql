-- EXPLAIN (ANALYZE, BUFFERS) of each statement of one payment (payment.sql, commit 081a498), for order :oid of
-- a filled database, inside a transaction that is rolled back.
-- Usage: psql <url> -v oid=1000 -f bench/pgbench/explain.sql
\set ON_ERROR_STOP on
\pset pager off
SELECT o.final_amount AS amt, o.original_amount AS orig, i.product_option_id AS opt, i.quantity AS q, i.product_id AS pid, i.unit_price AS price
FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.id = :oid \gset
BEGIN;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
WITH paid AS (
         UPDATE orders SET status = 'PAID', paid_at = now()
         WHERE id = :oid AND user_id = :oid AND status = 'PENDING' AND expires_at > now() RETURNING *)
       SELECT paid.id, paid.user_id AS "userId", paid.status, paid.user_coupon_id AS "userCouponId",
  paid.original_amount AS "originalAmount", paid.discount_amount AS "discountAmount", paid.final_amount AS "finalAmount",
  paid.created_at AS "createdAt", paid.expires_at AS "expiresAt", paid.paid_at AS "paidAt",
              (SELECT json_agg(json_build_object('productId', product_id, 'productOptionId', product_option_id,
                                                 'quantity', quantity, 'unitPrice', unit_price) ORDER BY id)
               FROM order_items WHERE order_id = paid.id) AS items
       FROM paid;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
UPDATE product_options SET on_hand = on_hand - :q, reserved = reserved - :q, updated_at = now()
       WHERE id = :opt AND reserved >= :q RETURNING id;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
WITH debited AS (
         UPDATE user_accounts SET balance = balance - :amt, updated_at = now()
         WHERE id = :oid AND balance >= :amt RETURNING balance)
       INSERT INTO balance_logs (user_id, type, amount, balance_after, order_id)
       SELECT :oid, 'USE', :amt, balance, :oid FROM debited RETURNING balance_after AS balance;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
INSERT INTO payments (order_id, user_id, amount, method, status) VALUES (:oid, :oid, :amt, 'BALANCE', 'COMPLETED')
       RETURNING id, order_id AS "orderId", user_id AS "userId", amount, method, status, created_at AS "createdAt";
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
INSERT INTO outbox_events (event_id, consumer, event_type, aggregate_id, payload)
       SELECT * FROM unnest(ARRAY[gen_random_uuid(), gen_random_uuid(), gen_random_uuid()]::uuid[],
         '{sales-ranking,data-platform-export,order-completed-push}'::varchar[], '{order.processed,order.processed,order.processed}'::varchar[],
         ARRAY[:oid, :oid, :oid]::bigint[],
         ARRAY[jsonb_build_object('orderId', :oid), jsonb_build_object('orderId', :oid), jsonb_build_object('orderId', :oid)]::jsonb[]);
ROLLBACK;
