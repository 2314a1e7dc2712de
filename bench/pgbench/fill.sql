-- Fills a freshly migrated database for the payment pgbench script: :products products of 2
-- options each (big stock), and :orders users each charged 1,000,000 won with one PENDING order
-- of one unit, spread over all options so that no option row is hot. User g owns order g.
-- The rows are those the API writes: a CHARGE log per account, orders priced from the catalog,
-- their units reserved on the options, expiring :ttl seconds from now.
-- Usage: psql -v orders=300000 -v products=100 -v ttl=600 -f bench/pgbench/fill.sql
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO products (name, price)
SELECT 'bench ' || g, 1000 * (1 + (g - 1) % 50) FROM generate_series(1, :products) g ORDER BY g;
UPDATE catalog_totals SET products = (SELECT count(*) FROM products);
INSERT INTO product_options (product_id, name, on_hand)
SELECT p.id, o.name, 1000000 FROM products p, (VALUES ('opt 1'), ('opt 2')) AS o (name) ORDER BY p.id, o.name;

INSERT INTO user_accounts (id, balance) SELECT g, 1000000 FROM generate_series(1, :orders) g;
INSERT INTO balance_logs (user_id, type, amount, balance_after, order_id)
SELECT g, 'CHARGE', 1000000, 1000000, NULL FROM generate_series(1, :orders) g;

CREATE TEMP TABLE wanted AS
SELECT g AS id, o.id AS option_id, o.product_id, p.price
FROM generate_series(1, :orders) g
JOIN (SELECT id, product_id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n FROM product_options) o ON o.k = (g - 1) % o.n
JOIN products p ON p.id = o.product_id;

INSERT INTO orders (id, user_id, status, user_coupon_id, original_amount, discount_amount, final_amount, expires_at)
SELECT id, id, 'PENDING', NULL, price, 0, price, now() + make_interval(secs => :ttl) FROM wanted ORDER BY id;
SELECT setval('orders_id_seq', :orders);
INSERT INTO order_items (order_id, product_id, product_option_id, quantity, unit_price)
SELECT id, product_id, option_id, 1, price FROM wanted ORDER BY id;
UPDATE product_options o SET reserved = w.units, updated_at = now()
FROM (SELECT option_id, count(*)::int AS units FROM wanted GROUP BY option_id) w WHERE o.id = w.option_id;
COMMIT;
ANALYZE;
CHECKPOINT;
