import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/associations/decision.js';
import { createReconciler, mentionKey } from '../../src/associations/reconcile.js';
import { loadSeedRegistry } from '../../src/associations/seed-registry.js';

const registry = loadSeedRegistry();
const reconciler = createReconciler(registry);
const one = (text: string) => reconciler.reconcile([{ text }])[0];

describe('matching mentions to the registry', () => {
  it.each([
    ['AFM', 'R001'],
    ['afm telethon', 'R001'],
    ['AFM-Téléthon', 'R001'],
    ['Association francaise contre les myopathies', 'R001'],
    ['asso française contre les myopahties', 'R001'],
    ['Vaincre la muco', 'R007'],
    ['FRM', 'R052'],
    ['Ligue contre le cancer', 'R015'],
    ['APF France handicap', 'R038'],
    ['AIDES (VIH)', 'R024'],
    ["Sid'action", 'R042'],
  ])('matches %s to %s', (text, id) => {
    expect(one(text)?.match?.id).toBe(id);
  });

  it('keeps the Alzheimer associations apart', () => {
    const out = reconciler.reconcile([
      { text: 'France Alzheimer' },
      { text: 'france alzeimer' },
      { text: 'Fondation Vaincre Alzheimer' },
      { text: 'fondation vaincre alzheim' },
      { text: 'Fondation Recherche Alzheimer' },
      { text: 'fondation recherche alzheimer' },
    ]);
    expect(out.map((m) => m.match?.id)).toEqual(['R045', 'R045', 'R014', 'R014', 'R046', 'R046']);
    expect(new Set(out.map((m) => m.group)).size).toBe(3);
  });

  it('groups mentions of an association absent from the registry without matching them', () => {
    const out = reconciler.reconcile([
      { text: 'Association Sclérose Tubéreuse de Bourneville' },
      { text: 'asso sclerose tubereuse de bourneville' },
      { text: 'Association Sclerose Tubereuse de Bourneville (ASTB)' },
      { text: 'ASTB' },
      { text: 'Les Petits Bourdons' },
    ]);
    expect(out.every((m) => m.match === null)).toBe(true);
    expect(new Set(out.slice(0, 4).map((m) => m.group)).size).toBe(1);
    expect(out[4]?.group).not.toBe(out[0]?.group);
    expect(out[0]?.group.startsWith('new:')).toBe(true);
  });

  it('gives the same group id to the same candidate group from run to run', () => {
    const batch = [{ text: 'Les Petits Bourdons' }, { text: 'petits bourdons' }];
    expect(reconciler.reconcile(batch)[0]?.group).toBe(reconciler.reconcile([...batch].reverse())[1]?.group);
  });

  it('cuts hostile text and says so, without failing', () => {
    const huge = `AFM ${'x'.repeat(1_000_000)}`;
    const out = reconciler.reconcile([
      { text: huge },
      { text: '<script>alert(1)</script>' },
      { text: '\u0000\u0007\u001b\u007f' },
      { text: '' },
    ]);
    expect(out[0]?.truncated).toBe(true);
    expect(out[0]?.mention.length).toBeLessThanOrEqual(300);
    expect(out[1]?.match).toBeNull();
    expect(out[2]?.group).toBe('empty');
    expect(out[3]?.group).toBe('empty');
  });
});

describe('decisions', () => {
  it('accepts a mention for an entry the matcher would not pick', () => {
    const d: Decision[] = [{ kind: 'accept', mention: 'les myopathes', entryId: 'R001' }];
    const r = createReconciler(registry, d).reconcile([{ text: 'Les Myopathes' }])[0];
    expect(r?.match).toMatchObject({ id: 'R001', score: 1 });
    expect(r?.decidedBy).toBe('accept');
  });

  it('rejects a match, so the mention is matched elsewhere or left unmatched', () => {
    const d: Decision[] = [{ kind: 'reject', mention: 'Vaincre la muco', entryId: 'R007' }];
    const r = createReconciler(registry, d).reconcile([
      { text: 'vaincre la muco' },
      { text: 'Vaincre la Mucoviscidose' },
    ]);
    expect(r[0]?.match?.id).not.toBe('R007');
    expect(r[1]?.match?.id).toBe('R007');
  });

  it('creates an entry that later mentions are matched to', () => {
    const d: Decision[] = [
      {
        kind: 'create',
        entry: {
          id: 'N1',
          name: 'Les Petits Bourdons',
          acronyms: [],
          aliases: [],
          area: 'x',
          origin: 'real',
        },
        mentions: ['les petits bourdons'],
      },
    ];
    const rec = createReconciler(registry, d);
    expect(rec.registry.some((e) => e.id === 'N1')).toBe(true);
    expect(rec.reconcile([{ text: 'Petits Bourdons (asso)' }])[0]?.match?.id).toBe('N1');
  });

  it('merges two groups and splits mentions out of one', () => {
    const batch = [
      { text: 'Les Petits Bourdons' },
      { text: 'Kourir' },
      { text: 'AFM' },
      { text: 'afm telethon' },
    ];
    const d: Decision[] = [
      { kind: 'merge', mentions: ['Kourir', 'AFM'] },
      { kind: 'split', mentions: ['afm telethon'] },
    ];
    const r = createReconciler(registry, d).reconcile(batch);
    expect(r[1]?.group).toBe(r[2]?.group);
    expect(r[1]?.match?.id).toBe('R001');
    expect(r[3]?.group).not.toBe(r[2]?.group);
    expect(r[3]?.match).toBeNull();
    expect(r[0]?.group).not.toBe(r[1]?.group);
  });

  it('are keyed by normalised text, so decisions survive spacing and case', () => {
    expect(mentionKey('  Asso  AFM-Téléthon ')).toBe(mentionKey('association afm telethon'));
  });
});

describe('official and former names', () => {
  it('match their entry: the registry knows them as names of the association', () => {
    const out = reconciler.reconcile([
      { text: 'france alzheimer et maladies apparentées' },
      { text: 'Ensemble contre le sida' },
      { text: 'FNAIR' },
    ]);
    const name = (id: string | undefined) => registry.find((e) => e.id === id)?.name;
    expect(name(out[0]?.match?.id)).toBe('France Alzheimer');
    expect(out[0]?.uncertain).toBe(false);
    expect(name(out[1]?.match?.id)).toBe('Sidaction');
    expect(name(out[2]?.match?.id)).toBe('France Rein');
  });
});
