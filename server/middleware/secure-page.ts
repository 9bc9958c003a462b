/**
 * Headers for the dashboard's pages and assets: a strict Content-Security-Policy (only this
 * server's own scripts, styles and connections; no inline code; Trusted Types for the DOM), no
 * framing, no referrer (a `?token=` link never leaks through a Referer), no caching of pages that
 * hold class data. hono's secureHeaders writes them.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export const DASHBOARD_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  requireTrustedTypesFor: ["'script'"],
};

export function securePage(): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: DASHBOARD_CSP,
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
    // Served over plain HTTP on loopback by default; HSTS is for the TLS proxy in front, if any.
    strictTransportSecurity: false,
  });
  return async (c, next) => {
    await headers(c, next);
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  };
}
