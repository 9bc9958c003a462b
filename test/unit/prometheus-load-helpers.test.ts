/** The pure parts of the load and metrics checks: percentiles, and samples from a scrape. */
import { describe, expect, it } from 'vitest';
import { describeLoad, percentile } from '../../engine/checks/load-generator.js';
import {
  formatSelector,
  parseSamples,
  PrometheusParseError,
  selectSamples,
} from '../../engine/checks/prometheus-text.js';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.95)).toBeUndefined();
  });
});

describe('describeLoad', () => {
  it('lists statuses in order, errors with the first reason, and the p95', () => {
    expect(
      describeLoad({
        answered: 3,
        statusCounts: { '503': 1, '200': 2 },
        errors: 2,
        timeouts: 1,
        firstError: 'ECONNRESET',
        p95Ms: 41.2,
        durationMs: 1234,
      }),
    ).toBe('200 ×2, 503 ×1, 2 without an answer (ECONNRESET); p95 41ms in 1.2s');
  });
});

describe('parseSamples', () => {
  const scrape = [
    '# HELP shop_http_request_duration_seconds Latency.',
    '# TYPE shop_http_request_duration_seconds histogram',
    'shop_http_request_duration_seconds_bucket{route="/a",le="0.1"} 2',
    'shop_http_request_duration_seconds_bucket{route="/a",le="+Inf"} 5',
    'shop_http_request_duration_seconds_sum{route="/a"} 1.5',
    'shop_http_request_duration_seconds_count{route="/a"} 5',
    'shop_http_request_duration_seconds_bucket{route="/b",le="+Inf"} 1',
    'shop_http_request_duration_seconds_sum{route="/b"} 0.25',
    'shop_http_request_duration_seconds_count{route="/b"} 1',
    '# TYPE q summary',
    'q{quantile="0.5"} 3',
    'q_count 4',
    'escaped{text="a \\"quoted\\" \\\\ value"} 1e3',
    'nan_gauge NaN',
    'last_line_without_newline 9',
  ].join('\n');

  it('keeps every series of a labelled histogram apart, with its labels', () => {
    const samples = parseSamples(scrape);
    expect(selectSamples(samples, 'shop_http_request_duration_seconds_count')).toEqual([
      { name: 'shop_http_request_duration_seconds_count', labels: { route: '/a' }, value: 5 },
      { name: 'shop_http_request_duration_seconds_count', labels: { route: '/b' }, value: 1 },
    ]);
    expect(
      selectSamples(samples, 'shop_http_request_duration_seconds_bucket', { route: '/a', le: '+Inf' })[0]?.value,
    ).toBe(5);
    expect(selectSamples(samples, 'q', { quantile: '0.5' })[0]?.value).toBe(3);
    expect(selectSamples(samples, 'q_count')[0]?.value).toBe(4);
  });

  it('reads escapes, exponents, NaN and a last line without a newline', () => {
    const samples = parseSamples(scrape);
    expect(selectSamples(samples, 'escaped')[0]).toEqual({
      name: 'escaped',
      labels: { text: 'a "quoted" \\ value' },
      value: 1000,
    });
    expect(selectSamples(samples, 'nan_gauge')[0]?.value).toBeNaN();
    expect(selectSamples(samples, 'last_line_without_newline')[0]?.value).toBe(9);
  });

  it('refuses what is not the text format', () => {
    expect(() => parseSamples('up{job="x" 1\n')).toThrow(PrometheusParseError);
    expect(() => parseSamples('up one\n')).toThrow(/is not a number/);
  });

  it('formats selectors for messages', () => {
    expect(formatSelector('x', { a: '1', b: '/p' })).toBe('x{a="1",b="/p"}');
    expect(formatSelector('x')).toBe('x');
  });
});
