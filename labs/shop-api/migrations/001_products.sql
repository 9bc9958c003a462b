CREATE TABLE products (
  id          serial PRIMARY KEY,
  sku         text NOT NULL UNIQUE,
  name        text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  stock       integer NOT NULL CHECK (stock >= 0)
);

INSERT INTO products (sku, name, price_cents, stock)
SELECT 'SKU-' || lpad(n::text, 5, '0'),
       (ARRAY['Mug', 'T-shirt', 'Sticker', 'Hoodie', 'Cap', 'Notebook', 'Socks', 'Poster'])[1 + n % 8] || ' #' || n,
       299 + (n * 137) % 4700,
       1000 + (n * 31) % 9000
FROM generate_series(1, 200) AS n;
