import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, ensureBuild, ROOT } from '../../bin/build.mjs';
import { buildApp } from '../../src/server/build-app.js';
import { openStore, type Store } from '../../src/store/open-store.js';

const CLIENT = join(ROOT, 'src/web/client');
const PUBLIC = join(DIST, 'web/public');

/** Every `/assets/NAME.js` the server's pages name. */
function scriptsNamedByPages(): string[] {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts'))
        for (const m of readFileSync(path, 'utf8').matchAll(/\/assets\/([a-z-]+\.js)/g)) names.add(m[1]!);
    }
  };
  walk(join(ROOT, 'src/server'));
  return [...names].sort();
}

describe('the browser bundles', () => {
  let store: Store;
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    await ensureBuild();
    store = await openStore({ db: ':memory:' });
    app = await buildApp({ store });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('are built from each page of src/web/client, as plain scripts (no import left)', () => {
    const pages = readdirSync(CLIENT).filter((f) => f.endsWith('.ts'));
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) {
      const js = readFileSync(join(PUBLIC, page.replace(/\.ts$/, '.js')), 'utf8');
      expect(js.length, page).toBeGreaterThan(50);
      expect(js, page).not.toMatch(/^\s*(import|export)\s/m);
    }
  });

  it('serve every script a page names, at the same /assets/ address, with the style sheets', async () => {
    const scripts = scriptsNamedByPages();
    expect(scripts).toContain('respond.js');
    expect(scripts).toContain('expression-functions.js');
    for (const name of [...scripts, 'cairnet.css']) {
      const res = await app.inject({ method: 'GET', url: `/assets/${name}` });
      expect(res.statusCode, name).toBe(200);
      expect(res.headers['content-type'], name).toMatch(name.endsWith('.js') ? /javascript/ : /css/);
    }
  });
});
