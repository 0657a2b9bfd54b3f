import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/run-cli.js';

interface Output {
  mentions: {
    id: string;
    mention: string;
    group: string;
    match: { id: string; name: string; score: number } | null;
  }[];
}

describe('cairnet reconcile', () => {
  let dir: string;
  const file = (name: string, content: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cairnet-reconcile-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the JSON contract: ids kept, same group for the same association, matches with scores', async () => {
    const csv = file(
      'mentions.csv',
      'id,mention\nr1,AFM\nr2,afm telethon\nr3,Vaincre la muco\nr4,Les Petits Bourdons\nr5,petits bourdons\n',
    );
    const res = await cli(['reconcile', csv, '--json']);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as Output;
    expect(Object.keys(out)).toEqual(['mentions']);
    expect(out.mentions.map((m) => m.id)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    for (const m of out.mentions) expect(Object.keys(m).sort()).toEqual(['group', 'id', 'match', 'mention']);
    const [afm, afm2, muco, pb, pb2] = out.mentions;
    expect(afm?.match).toMatchObject({ id: 'R001' });
    expect(afm?.match?.score).toBeGreaterThan(0);
    expect(afm?.match?.score).toBeLessThanOrEqual(1);
    expect(afm2?.group).toBe(afm?.group);
    expect(muco?.match?.id).toBe('R007');
    expect(muco?.group).not.toBe(afm?.group);
    expect(pb?.match).toBeNull();
    expect(pb2?.group).toBe(pb?.group);
  });

  it('reads another column with --column, numbers rows without an id, and uses a given registry', async () => {
    const csv = file('other.csv', 'name\nMa Petite Asso\nma petite asso\nAFM\n');
    const registry = file(
      'registry.csv',
      'id,name,acronyms,aliases,area,origin\nX1,Ma Petite Association,MPA,,rare diseases,invented\n',
    );
    const res = await cli(['reconcile', csv, '--column', 'name', '--registry', registry, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as Output;
    expect(out.mentions.map((m) => m.id)).toEqual(['1', '2', '3']);
    expect(out.mentions[0]?.match?.id).toBe('X1');
    expect(out.mentions[1]?.group).toBe(out.mentions[0]?.group);
    expect(out.mentions[2]?.match).toBeNull();
  });

  it('prints a readable table without --json', async () => {
    const csv = file('table.csv', 'mention\nAFM\nafm telethon\n');
    const res = await cli(['reconcile', csv]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Association française contre les myopathies');
    expect(res.stdout).toContain('2 mentions');
  });

  it('keeps hostile text as data in the JSON and cuts huge mentions', async () => {
    const csv = file('hostile.csv', `mention\n"<script>alert(1)</script>"\n"${'x'.repeat(5000)}"\n`);
    const res = await cli(['reconcile', csv, '--json']);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as Output;
    expect(out.mentions[0]?.mention).toBe('<script>alert(1)</script>');
    expect(out.mentions[1]?.mention.length).toBeLessThanOrEqual(300);
    expect(res.stderr).toContain('cut');
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.csv'), [], 'CAIRNET_FILE_UNREADABLE', 2],
    ['a missing column', () => file('nocol.csv', 'id,name\n1,AFM\n'), [], 'CAIRNET_COLUMN_UNKNOWN', 2],
    ['an empty file', () => file('empty.csv', ''), [], 'CAIRNET_CSV_INVALID', 2],
    ['a header without rows', () => file('header.csv', 'mention\n'), [], 'CAIRNET_CSV_INVALID', 2],
    [
      'a binary file',
      () => file('binary.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3])),
      [],
      'CAIRNET_CSV_INVALID',
      2,
    ],
    [
      'an invalid registry',
      () => file('ok.csv', 'mention\nAFM\n'),
      ['--registry', '/nonexistent/registry.csv'],
      '',
      null,
    ],
  ] as const)(
    'refuses %s with a clear error and prints nothing on stdout',
    async (_, make, extra, code, exit) => {
      const res = await cli(['reconcile', make(), '--json', ...extra]);
      expect(res.code).not.toBe(0);
      if (exit !== null) expect(res.code).toBe(exit);
      expect(res.stderr).toMatch(new RegExp(`^error ${code || 'CAIRNET_[A-Z_]+'}: `));
      expect(res.stdout).toBe('');
    },
  );
});
