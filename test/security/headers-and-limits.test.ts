import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';

describe('security headers and token guessing', () => {
  let t: TestStore;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await openTestStore('sqlite');
    await ensureCairnetInstrument(t.store);
    app = await buildApp({ store: t.store });
  });
  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  it('sends helmet’s headers on pages and API answers: no inline script, no framing, no sniffing', async () => {
    for (const url of ['/s/cairnet', '/api/instruments/cairnet', '/login']) {
      const res = await app.inject(url);
      expect(res.headers['content-security-policy'], url).toContain("script-src 'self'");
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['strict-transport-security'], url).toBeDefined();
      expect(res.headers['x-powered-by'], url).toBeUndefined();
    }
  });

  it('slows down guessing of personal links: the 61st look-up in a minute from one address gets 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      const token = `guess${String(i).padStart(3, '0')}abcdefghijklmnopqrstu`;
      const res = await app.inject({
        url: `/api/instruments/cairnet/drafts/${token}`,
        remoteAddress: '203.0.113.7',
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 60).every((s) => s === 404)).toBe(true);
    expect(statuses[60]).toBe(429);
    const limited = await app.inject({
      url: '/i/anything-at-all-0000000000000',
      remoteAddress: '203.0.113.8',
    });
    expect(limited.statusCode).not.toBe(429);
    const last = await app.inject({
      url: '/api/instruments/cairnet/drafts/guess999abcdefghijklmnopqrstu',
      remoteAddress: '203.0.113.7',
    });
    expect(last.json().code).toBe('CAIRNET_RATE_LIMITED');
    // A client cannot pick another address with X-Forwarded-For (no proxy is trusted by default).
    const spoofed = await app.inject({
      url: '/api/instruments/cairnet/drafts/guess998abcdefghijklmnopqrstu',
      remoteAddress: '203.0.113.7',
      headers: { 'x-forwarded-for': '198.51.100.1' },
    });
    expect(spoofed.statusCode).toBe(429);
  });
});
