import { timingSafeEqual } from 'crypto';
import { Router } from 'express';
import type { Pool } from 'pg';

/** Operator endpoints, behind the admin API key (`Authorization: Bearer <key>`). */
export function adminRouter(pool: Pool, apiKey: string): Router {
  const router = Router();
  const expected = Buffer.from(apiKey);
  router.use((req, res, next) => {
    const given = Buffer.from((req.get('authorization') ?? '').replace(/^Bearer\s+/i, ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'admin API key required' });
      return;
    }
    next();
  });
  router.get('/stats', async (_req, res, next) => {
    try {
      const { rows } = await pool.query<{ products: string; orders: string }>(
        'SELECT (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM orders) AS orders',
      );
      res.json({ products: Number(rows[0]?.products), orders: Number(rows[0]?.orders) });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
