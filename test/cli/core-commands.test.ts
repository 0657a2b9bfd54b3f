import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { cli } from '../helpers/run-cli.js';

describe('cairnet demo, user add and responses export', () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cairnet-cli-'));
    db = join(dir, 'cli.db');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the demonstration panel once, flagged as synthetic, and refuses to write it twice', async () => {
    const first = await cli(['demo', '--respondents', '40', '--seed', '7', '--db', db]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('wrote 40 synthetic responses');
    const again = await cli(['demo', '--respondents', '40', '--seed', '7', '--db', db]);
    expect(again.code).toBe(8);
    expect(again.stderr).toMatch(/^error CAIRNET_RESPONSE_ALREADY_COMPLETED: /);
    const store = await openStore({ db });
    const rows = await store.db.selectFrom('responses').select(['synthetic', 'meta']).execute();
    await store.close();
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => r.synthetic === 1 && JSON.parse(r.meta!).synthetic === true)).toBe(true);
  });

  it('exports one CSV row per completed response, response id first, codebook columns after', async () => {
    const out = join(dir, 'responses.csv');
    const res = await cli([
      'responses',
      'export',
      '--instrument',
      'cairnet-demo',
      '--format',
      'csv',
      '--db',
      db,
      '--out',
      out,
    ]);
    expect(res.code).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(40);
    const header = Object.keys(rows[0]!);
    expect(header[0]).toBe('response_id');
    expect(header).toContain('opinion_freedom');
    expect(header).toContain('funding_use__seed');
    expect(rows.every((r) => r.synthetic === '1')).toBe(true);
    expect(new Set(rows.map((r) => r.relation))).toEqual(new Set(['never', 'short_term', 'ongoing']));
  });

  it('adds a user with a hashed password and refuses a duplicate, a bad role or a short password', async () => {
    const ok = await cli(
      ['user', 'add', 'Team@Example.org', '--role', 'analyst', '--db', db],
      'a long password here',
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('added team@example.org (analyst)');
    const dup = await cli(['user', 'add', 'team@example.org', '--db', db], 'another long password');
    expect(dup.code).toBe(8);
    expect(dup.stderr).toContain('CAIRNET_USER_EXISTS');
    const role = await cli(
      ['user', 'add', 'x@example.org', '--role', 'king', '--db', db],
      'a long password here',
    );
    expect(role.code).toBe(2);
    const short = await cli(['user', 'add', 'y@example.org', '--db', db], 'short');
    expect(short.code).toBe(2);
    const store = await openStore({ db });
    const users = await store.db.selectFrom('users').select(['email', 'password_hash']).execute();
    await store.close();
    expect(users.map((u) => u.email)).toEqual(['team@example.org']);
    expect(users[0]!.password_hash).not.toContain('long password');
  });

  it('answers bad arguments with a usage error and a non-zero status', async () => {
    expect((await cli(['demo', '--respondents', '0', '--db', db])).code).toBe(2);
    expect((await cli(['serve', '--port', 'eighty', '--db', db])).stderr).toContain('CAIRNET_USAGE');
    expect((await cli(['responses', 'export', '--format', 'pdf', '--db', db])).code).toBe(2);
    const badDb = await cli(['demo', '--db', 'mysql://localhost/x']);
    expect(badDb.code).toBe(2);
    expect(badDb.stderr).toContain('CAIRNET_DB_URL_INVALID');
    const unreachable = await cli(['demo', '--db', 'postgres://nobody@127.0.0.1:1/none']);
    expect(unreachable.code).toBe(6);
    expect(unreachable.stderr).toContain('CAIRNET_DB_UNREACHABLE');
  });
});
