import { Router } from 'express';
import type { Pool } from 'pg';
import type { Cache } from '../cache';
import { traceQuery } from '../db';

interface Product {
  id: number;
  sku: string;
  name: string;
  priceCents: number;
  stock: number;
}

const COLUMNS = 'id, sku, name, price_cents AS "priceCents", stock';

export function productsRouter(pool: Pool, cache: Cache): Router {
  const router = Router();

  router.get('/', async (req, res, next) => {
    try {
      const limit = Math.min(Math.max(Number(req.query.limit ?? 50) || 50, 1), 500);
      const sql = `SELECT ${COLUMNS} FROM products ORDER BY id LIMIT $1`;
      traceQuery(sql, [limit]);
      const { rows } = await pool.query<Product>(sql, [limit]);
      res.json({ products: rows, limit });
    } catch (error) {
      next(error);
    }
  });

  router.get('/:id', async (req, res, next) => {
    try {
      const id = Number(req.params.id);
      if (!Number.isInteger(id) || id < 1) {
        res.status(400).json({ error: 'invalid product id' });
        return;
      }
      const key = `product:${id}`;
      const cached = await cache.getJson<Product>(key);
      if (cached) {
        res.set('X-Cache', 'hit').json(cached);
        return;
      }
      const sql = `SELECT ${COLUMNS} FROM products WHERE id = $1`;
      traceQuery(sql, [id]);
      const { rows } = await pool.query<Product>(sql, [id]);
      const product = rows[0];
      if (!product) {
        res.status(404).json({ error: 'no such product' });
        return;
      }
      await cache.setJson(key, product);
      res.set('X-Cache', 'miss').json(product);
    } catch (error) {
      next(error);
    }
  });

  return router;
}
