-- Last quarter's orders, imported from the old shop when this one went live.
INSERT INTO orders (product_id, quantity, unit_price_cents, customer, created_at)
SELECT 1 + n % 200,
       1 + n % 5,
       299 + ((1 + n % 200) * 137) % 4700,
       'customer-' || (n % 5000) || '@example.com',
       now() - make_interval(secs => (n * 97) % (90 * 86400))
FROM generate_series(1, 40000) AS n;
