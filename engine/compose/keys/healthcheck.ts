/** `healthcheck`: the probe Docker runs; `disable: true` or `test: [NONE]` turns the image's off. */
import { isDict, type Dict } from '../../source/dict.js';
import type { PathSegment } from '../../source/yaml-source.js';
import type { PlanContext } from '../context.js';
import type { HealthcheckPlan } from '../plan.js';
import { durationValue } from '../values.js';
import type { ServiceKey } from './service-key.js';

export const healthcheckKey: ServiceKey = {
  keys: ['healthcheck'],
  build({ raw, at, ctx }) {
    if (!isDict(raw.healthcheck)) return {};
    const healthcheck = parseHealthcheck(raw.healthcheck, [...at, 'healthcheck'], ctx);
    return healthcheck === undefined ? {} : { healthcheck };
  },
};

function parseHealthcheck(raw: Dict, at: PathSegment[], ctx: PlanContext): HealthcheckPlan | null | undefined {
  if (raw.disable === true || raw.disable === 'true') return null;
  let test: string[];
  if (typeof raw.test === 'string') test = ['CMD-SHELL', raw.test];
  else if (Array.isArray(raw.test)) {
    test = raw.test.map(String);
    const first = test[0];
    if (first === 'NONE') return null;
    if ((first !== 'CMD' && first !== 'CMD-SHELL') || test.length < 2) {
      ctx.out.error(
        [...at, 'test'],
        'a test list starts with CMD (then the command and its arguments) or CMD-SHELL (then one shell command), or is NONE',
      );
      return undefined;
    }
  } else {
    ctx.out.error(
      at,
      "missing required key `test`: breakfix does not merge settings into the image's own HEALTHCHECK",
      'key',
    );
    return undefined;
  }
  const duration = (key: string, fallback: number): number => durationValue(raw[key], [...at, key], ctx, fallback);
  let retries = 3;
  if (raw.retries !== undefined) {
    const text = String(raw.retries);
    if (/^\d+$/.test(text)) retries = Number(text);
    else ctx.out.error([...at, 'retries'], `expected a whole number of retries, got ${JSON.stringify(raw.retries)}`);
  }
  return {
    test,
    intervalMs: duration('interval', 30_000),
    timeoutMs: duration('timeout', 30_000),
    retries,
    startPeriodMs: duration('start_period', 0),
  };
}
