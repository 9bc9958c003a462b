import { Router } from 'express';
import type { Pool } from 'pg';
import { traceQuery } from '../db';

interface Row {
  product_id: number;
  quantity: number;
  unit_price_cents: number;
  customer: string;
  created_at: Date;
}

/** Sales per day and product: the rows are summed here, in the api (the finance team's report). */
export function reportsRouter(pool: Pool): Router {
  const router = Router();
  router.get('/sales', async (req, res, next) => {
    try {
      const days = Math.min(Math.max(Number(req.query.days ?? 30) || 30, 1), 365);
      const sql =
        'SELECT product_id, quantity, unit_price_cents, customer, created_at FROM orders WHERE created_at > now() - make_interval(days => $1) ORDER BY created_at';
      traceQuery(sql, [days]);
      const { rows } = await pool.query<Row>(sql, [days]);
      const byDay = new Map<string, { orders: number; revenueCents: number; customers: Set<string> }>();
      for (const row of rows) {
        const day = row.created_at.toISOString().slice(0, 10);
        const entry = byDay.get(day) ?? { orders: 0, revenueCents: 0, customers: new Set<string>() };
        entry.orders += 1;
        entry.revenueCents += row.quantity * row.unit_price_cents;
        entry.customers.add(row.customer);
        byDay.set(day, entry);
      }
      const report = [...byDay].map(([day, entry]) => ({
        day,
        orders: entry.orders,
        revenueCents: entry.revenueCents,
        customers: entry.customers.size,
      }));
      res.json({ days, orders: rows.length, report });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
