import { mkdir, writeFile } from 'fs/promises';
import path from 'path';
import { Router } from 'express';
import type { Pool } from 'pg';
import { traceQuery } from '../db';

interface Order {
  id: string;
  productId: number;
  quantity: number;
  unitPriceCents: number;
  customer: string;
  createdAt: string;
}

const COLUMNS =
  'id::text, product_id AS "productId", quantity, unit_price_cents AS "unitPriceCents", customer, created_at AS "createdAt"';

function readOrder(body: unknown): { productId: number; quantity: number; customer: string } | string {
  if (typeof body !== 'object' || body === null) return 'expected a JSON object';
  const { productId, quantity, customer } = body as Record<string, unknown>;
  if (!Number.isInteger(productId) || (productId as number) < 1) return 'productId must be a positive integer';
  if (!Number.isInteger(quantity) || (quantity as number) < 1 || (quantity as number) > 100)
    return 'quantity must be an integer from 1 to 100';
  if (typeof customer !== 'string' || customer.trim() === '' || customer.length > 200)
    return 'customer must be a non-empty string';
  return { productId: productId as number, quantity: quantity as number, customer: customer.trim() };
}

export function ordersRouter(pool: Pool, dataDir: string): Router {
  const router = Router();
  const receipts = path.join(dataDir, 'receipts');

  router.post('/', async (req, res, next) => {
    const input = readOrder(req.body);
    if (typeof input === 'string') {
      res.status(400).json({ error: input });
      return;
    }
    const client = await pool.connect().catch((error: Error) => error);
    if (client instanceof Error) {
      next(client);
      return;
    }
    try {
      await client.query('BEGIN');
      const stockSql = 'SELECT price_cents, stock FROM products WHERE id = $1 FOR UPDATE';
      traceQuery(stockSql, [input.productId]);
      const product = (await client.query<{ price_cents: number; stock: number }>(stockSql, [input.productId])).rows[0];
      if (!product || product.stock < input.quantity) {
        await client.query('ROLLBACK');
        res.status(product ? 409 : 404).json({ error: product ? 'not enough stock' : 'no such product' });
        return;
      }
      const insertSql = `INSERT INTO orders (product_id, quantity, unit_price_cents, customer) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`;
      traceQuery(insertSql, [input.productId, input.quantity, product.price_cents, input.customer]);
      const order = (
        await client.query<Order>(insertSql, [input.productId, input.quantity, product.price_cents, input.customer])
      ).rows[0] as Order;
      await client.query('UPDATE products SET stock = stock - $2 WHERE id = $1', [input.productId, input.quantity]);
      // The receipt is written before the commit: an order is never confirmed without one.
      await mkdir(receipts, { recursive: true });
      await writeFile(path.join(receipts, `${order.id}.json`), `${JSON.stringify(order)}\n`);
      await client.query('COMMIT');
      res.status(201).location(`/orders/${order.id}`).json(order);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      next(error);
    } finally {
      client.release();
    }
  });

  router.get('/:id', async (req, res, next) => {
    if (!/^\d{1,18}$/.test(req.params.id)) {
      res.status(400).json({ error: 'invalid order id' });
      return;
    }
    try {
      const client = await pool.connect();
      try {
        const sql = `SELECT ${COLUMNS} FROM orders WHERE id = $1`;
        traceQuery(sql, [req.params.id]);
        const order = (await client.query<Order>(sql, [req.params.id])).rows[0];
        if (!order) {
          res.status(404).json({ error: 'no such order' });
          return;
        }
        res.json(order);
      } finally {
        client.release();
      }
    } catch (error) {
      next(error);
    }
  });

  return router;
}
