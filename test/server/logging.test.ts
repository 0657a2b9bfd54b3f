import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCairnetInstrument } from '../../src/server/bootstrap.js';
import { buildApp } from '../../src/server/build-app.js';
import { loggerOptions, redactUrl } from '../../src/server/logging.js';
import { addUser } from '../../src/store/repositories/users.js';
import { openTestStore, type TestStore } from '../helpers/dialects.js';

describe('logs', () => {
  it('replace resume and invitation tokens in URLs', () => {
    expect(redactUrl('/api/instruments/cairnet/drafts/abcdefghijklmnopqrstuvwx')).toBe(
      '/api/instruments/cairnet/drafts/***',
    );
    expect(redactUrl('/s/cairnet?lang=fr&resume=SECRETSECRET&x=1')).toBe('/s/cairnet?lang=fr&resume=***&x=1');
    expect(redactUrl('/s/cairnet?invitation=SECRET')).toBe('/s/cairnet?invitation=***');
  });

  describe('of a running app', () => {
    let t: TestStore;
    const lines: string[] = [];
    beforeAll(async () => {
      t = await openTestStore('sqlite');
      await ensureCairnetInstrument(t.store);
      await addUser(t.store.db, {
        email: 'person@example.org',
        password: 'a long enough password',
        role: 'admin',
      });
    });
    afterAll(async () => t.dispose());

    it('hold no token, e-mail address, password or answer', async () => {
      const stream = new Writable({
        write(chunk, _enc, cb) {
          lines.push(String(chunk));
          cb();
        },
      });
      const app = await buildApp({ store: t.store, logger: loggerOptions('info', stream) });
      const token = 'tok_SECRET_0123456789abcdefgh';
      await app.inject({
        method: 'PUT',
        url: `/api/instruments/cairnet/drafts/${token}`,
        payload: { data: { gender: 'woman' } },
      });
      await app.inject({ url: `/s/cairnet?resume=${token}` });
      await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'person@example.org', password: 'a long enough password' },
      });
      await app.close();
      const log = lines.join('');
      expect(log).toContain('/drafts/***');
      expect(log).not.toContain('SECRET');
      expect(log).not.toContain('person@example.org');
      expect(log).not.toContain('long enough');
      expect(log).not.toContain('woman');
      expect(log).not.toContain('remoteAddress');
    });
  });
});
