-- The orders service's schema and a few orders, created once, on the database's first start.
CREATE TABLE orders (
  id         serial PRIMARY KEY,
  customer   text NOT NULL,
  item       text NOT NULL,
  quantity   integer NOT NULL CHECK (quantity > 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO orders (customer, item, quantity) VALUES
  ('ada@example.com', 'keyboard', 1),
  ('grace@example.com', 'monitor', 2),
  ('linus@example.com', 'cable', 5);
