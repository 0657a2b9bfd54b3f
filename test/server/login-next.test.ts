import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { safeNextPath } from '../../src/server/safe-next.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';

/** The known ways out of a same-origin check on a redirect target. */
const BYPASSES = [
  '/%5Cevil.example/phish',
  '/%5cevil.example',
  '/%09/evil.example/phish',
  '/%0a/evil.example',
  '/%0D%0ALocation:%20https://evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/%2F/evil.example',
  '/%2f%2fevil.example',
  '%2F%2Fevil.example',
  '/%252F%252Fevil.example',
  '/%255Cevil.example',
  'https://evil.example',
  'HTTPS://evil.example/admin',
  '//evil.example/%2e%2e',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  ' /evil',
  '/\u0000/evil.example',
  '/\u0085/evil.example',
  '/%E0%A4%A',
  'evil.example',
  '',
];

describe('the page after login', () => {
  it('refuses every known bypass of a same-origin path', () => {
    for (const next of BYPASSES) expect(safeNextPath(next), JSON.stringify(next)).toBe('/admin');
    expect(safeNextPath(undefined)).toBe('/admin');
    expect(safeNextPath(['/admin/report'])).toBe('/admin');
    expect(safeNextPath(`/${'a'.repeat(3000)}`)).toBe('/admin');
  });

  it('keeps a path of the site, normalised', () => {
    expect(safeNextPath('/admin/campaign')).toBe('/admin/campaign');
    expect(safeNextPath('/admin/dashboard?lang=fr#typology')).toBe('/admin/dashboard?lang=fr#typology');
    expect(safeNextPath('/admin/../results/cairnet')).toBe('/results/cairnet');
    expect(safeNextPath('/admin%2Freport')).toBe('/admin%2Freport');
  });

  describe('on the login page', () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore('sqlite');
      await ensureCairnetInstrument(t.store);
    });
    afterAll(async () => t.dispose());

    it('carries only the checked path to the script', async () => {
      const app = await buildApp({ store: t.store });
      try {
        const bad = await app.inject({ url: '/login?next=/%5Cevil.example/phish' });
        expect(bad.statusCode).toBe(200);
        expect(bad.body).toContain('data-next="/admin"');
        expect(bad.body).not.toContain('evil.example');
        const tab = await app.inject({ url: '/login?next=/%09/evil.example/' });
        expect(tab.body).toContain('data-next="/admin"');
        const good = await app.inject({
          url: `/login?next=${encodeURIComponent('/admin/campaign?x=1&y="2"')}`,
        });
        expect(good.body).toContain('data-next="/admin/campaign?x=1&amp;y=%222%22"');
      } finally {
        await app.close();
      }
    });
  });
});
