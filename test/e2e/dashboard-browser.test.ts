/**
 * The instructor dashboard in a real browser: Debian's chromium, headless, driven by
 * playwright-core, against `breakfix serve` as a real process on a free 127.0.0.1 port with the
 * real engine. A wrong-port session is started through the API with a learner label; the
 * dashboard, opened once with `?token=`, shows it and follows its state (building… → active →
 * checking → active with a score) and its removal, without reloading. Requests without the
 * token or the cookie get no data. One lab, started once: the scenario itself is proven elsewhere.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../engine/paths.js';
import { BIN, labelledBy } from '../docker/grade-support.js';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'dashboard-browser-token-41c9e07d';
const LEARNER = 'ada-lovelace';

let serve: ChildProcess | undefined;
let exited: Promise<number | null> | undefined;
let url = '';
let stderr = '';
let root = '';
let context: BrowserContext | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it when missing)`);
  root = await mkdtemp(path.join(os.tmpdir(), 'bf-dashboard-browser-'));
  serve = spawn(BIN, ['serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', path.join(root, 'data')], {
    cwd: packageRoot,
    env: { ...process.env, TESTCONTAINERS_RYUK_DISABLED: 'true', BREAKFIX_TOKEN: TOKEN },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  serve.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  exited = new Promise((resolve) => serve!.on('close', (code) => resolve(code)));
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stderr}`)), 20_000);
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (!match) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve(match[1]!);
    }, 25);
    void exited!.then((code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
  });
  context = await chromium.launchPersistentContext(path.join(root, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await context?.close();
  if (serve && serve.exitCode === null) {
    serve.kill('SIGTERM');
    await exited;
  }
  if (root) await rm(root, { recursive: true, force: true });
});

const api = (route: string, init: RequestInit = {}) =>
  fetch(`${url}${route}`, { ...init, headers: { ...init.headers, Authorization: `Bearer ${TOKEN}` } });

describe('the instructor dashboard in chromium (real serve, real Docker)', () => {
  it(
    'shows a session started through the API and follows its state live; no token, no data',
    { timeout: 300_000 },
    async () => {
      const created = await api('/v1/sessions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ scenario: 'wrong-port', learner: LEARNER }),
      });
      expect(created.status).toBe(202);
      const { id } = (await created.json()) as { id: string };

      // Without the token or the cookie: the sign-in form and 401s, never the class's data.
      const anonymous = await fetch(`${url}/dashboard`);
      expect(await anonymous.text()).not.toContain(LEARNER);
      for (const route of ['/dashboard/events', '/dashboard/state', '/v1/sessions'])
        expect((await fetch(`${url}${route}`)).status, route).toBe(401);

      const page = await context!.newPage();
      const foreign: string[] = [];
      const problems: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(`${url}/`)) foreign.push(request.url());
      });
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));

      // The token once, in the link: exchanged for the cookie and gone from the address bar.
      await page.goto(`${url}/dashboard?token=${TOKEN}`);
      expect(page.url()).toBe(`${url}/dashboard`);
      const [cookie] = await context!.cookies(`${url}/dashboard`);
      expect(cookie).toMatchObject({
        name: 'breakfix_dashboard',
        httpOnly: true,
        sameSite: 'Strict',
        path: '/dashboard',
      });
      expect(cookie!.value).not.toContain(TOKEN);
      // HttpOnly: the page's own scripts cannot read it. (Strings: this file is not compiled for the DOM.)
      expect(await page.evaluate('document.cookie')).toBe('');
      await page.locator('#connection[data-state="live"]').waitFor({ timeout: 10_000 });

      const row = page.locator(`#sessions tr[data-session-id="${id}"]`);
      await row.waitFor({ timeout: 10_000 });
      expect(await row.locator('.learner').textContent()).toBe(LEARNER);
      expect(await row.locator('.scenario').textContent()).toBe('wrong-port');
      // Every state the row shows, recorded as it changes: the page is never reloaded.
      const seen: string[] = [];
      const record = async () => {
        const state = await row.getAttribute('data-state').catch(() => null);
        if (state && seen.at(-1) !== state) seen.push(state);
      };
      const deadline = Date.now() + 240_000;
      while (seen.at(-1) !== 'active' && seen.at(-1) !== 'error' && Date.now() < deadline) {
        await record();
        await page.waitForTimeout(100);
      }
      expect(seen.at(-1), `states seen: ${seen.join(' → ')}\n${stderr.slice(-2000)}`).toBe('active');

      // A change the page did not load with: a check round, its score, back to active.
      const checked = await api(`/v1/sessions/${id}/check`, { method: 'POST' });
      expect(checked.status).toBe(200);
      const { report } = (await checked.json()) as { report: { score: number; maxScore: number } };
      await page
        .locator(`#sessions tr[data-session-id="${id}"] .score`)
        .filter({ hasText: `${report.score}/${report.maxScore}` })
        .waitFor({ timeout: 10_000 });
      expect(await row.locator('.attempts').textContent()).toBe('1');
      // For a person to look at: BREAKFIX_SCREENSHOT=/tmp/dashboard.png.
      if (process.env.BREAKFIX_SCREENSHOT)
        await page.screenshot({ path: process.env.BREAKFIX_SCREENSHOT, fullPage: true });
      // The elapsed time ticks on its own, between events.
      const elapsed = await row.locator('.elapsed').textContent();
      await expect
        .poll(() => row.locator('.elapsed').textContent(), {
          timeout: 5_000,
          message: `visibility ${String(await page.evaluate('document.visibilityState'))}`,
        })
        .not.toBe(elapsed);

      expect((await api(`/v1/sessions/${id}`, { method: 'DELETE' })).status).toBe(200);
      await row.waitFor({ state: 'detached', timeout: 10_000 });
      expect(await page.locator('#no-sessions').isVisible()).toBe(true);

      expect(await page.evaluate("performance.getEntriesByType('navigation').length")).toBe(1);
      expect(foreign, 'requests that left this server').toEqual([]);
      expect(problems, 'console errors (a CSP violation would be one)').toEqual([]);
      console.log(`[dashboard] states seen in the browser: ${seen.join(' → ')}`);
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(await labelledBy(id)).toEqual([]);
    },
  );
});
