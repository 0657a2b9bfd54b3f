import { describe, expect, it } from 'vitest';
import { diffInstrumentVersions, isEmptyDiff, textsByLanguage } from '../../src/instrument/diff-versions.js';
import type { InstrumentJson } from '../../src/instrument/types.js';

const v1: InstrumentJson = {
  title: { default: 'Survey', fr: 'Enquête' },
  pages: [
    {
      name: 'p1',
      elements: [
        { type: 'html', name: 'intro', html: 'Hello' },
        {
          type: 'radiogroup',
          name: 'status',
          title: { default: 'Your status?', fr: 'Votre statut ?' },
          choices: [
            { value: 'phd', text: { default: 'PhD student', fr: 'Doctorant' } },
            { value: 'pi', text: { default: 'PI', fr: 'Chef d’équipe' } },
            { value: 'eng', text: { default: 'Engineer', fr: 'Ingénieur' } },
          ],
        },
        {
          type: 'panel',
          name: 'box',
          elements: [
            { type: 'text', name: 'age', title: { default: 'Age', fr: 'Âge' } },
            { type: 'comment', name: 'remarks', title: { default: 'Remarks', fr: 'Remarques' } },
          ],
        },
      ],
    },
  ],
};

const v2: InstrumentJson = {
  title: { default: 'Survey', fr: 'Enquête' },
  pages: [
    {
      name: 'p1',
      elements: [
        { type: 'html', name: 'intro', html: 'Hello again' },
        {
          type: 'radiogroup',
          name: 'status',
          title: { default: 'Your status?', fr: 'Quel est votre statut ?' },
          choices: [
            { value: 'phd', text: { default: 'PhD student', fr: 'Doctorant ou doctorante' } },
            { value: 'pi', text: { default: 'PI', fr: 'Chef d’équipe' } },
            { value: 'tech', text: { default: 'Technician', fr: 'Technicien' } },
          ],
        },
        { type: 'dropdown', name: 'age', title: { default: 'Age', fr: 'Âge' }, choices: ['18-29', '30+'] },
        { type: 'text', name: 'email', title: { default: 'E-mail', fr: 'Courriel' } },
      ],
    },
  ],
};

describe('diffInstrumentVersions', () => {
  const d = diffInstrumentVersions(v1, v2);

  it('lists the questions added and removed by name, with their wording per language; layout is no question', () => {
    expect(d.added).toEqual([{ name: 'email', type: 'text', title: { en: 'E-mail', fr: 'Courriel' } }]);
    expect(d.removed).toEqual([
      { name: 'remarks', type: 'comment', title: { en: 'Remarks', fr: 'Remarques' } },
    ]);
    expect(d.changed.map((c) => c.name)).toEqual(['status', 'age']);
  });

  it('gives changed wording per language, and choices added, removed and reworded by their codes', () => {
    const status = d.changed.find((c) => c.name === 'status')!;
    expect(status.type).toBeNull();
    expect(status.wording).toEqual([
      { lang: 'fr', before: 'Votre statut ?', after: 'Quel est votre statut ?' },
    ]);
    expect(status.choices).toEqual({
      added: [{ value: 'tech', text: { en: 'Technician', fr: 'Technicien' } }],
      removed: [{ value: 'eng', text: { en: 'Engineer', fr: 'Ingénieur' } }],
      reworded: [
        { value: 'phd', changes: [{ lang: 'fr', before: 'Doctorant', after: 'Doctorant ou doctorante' }] },
      ],
    });
  });

  it('gives a changed type, and choices a question gained', () => {
    const age = d.changed.find((c) => c.name === 'age')!;
    expect(age.type).toEqual({ before: 'text', after: 'dropdown' });
    expect(age.wording).toEqual([]);
    expect(age.choices?.added.map((c) => c.value)).toEqual(['18-29', '30+']);
    expect(age.choices?.removed).toEqual([]);
  });

  it('finds nothing between a version and itself, nor the reverse of a change missing', () => {
    expect(isEmptyDiff(diffInstrumentVersions(v1, structuredClone(v1)))).toBe(true);
    const back = diffInstrumentVersions(v2, v1);
    expect(back.added.map((q) => q.name)).toEqual(['remarks']);
    expect(back.removed.map((q) => q.name)).toEqual(['email']);
  });

  it('reads plain strings as the questionnaire’s own language (its locale)', () => {
    const fr1: InstrumentJson = { locale: 'fr', elements: [{ type: 'text', name: 'q', title: 'Âge' }] };
    const fr2: InstrumentJson = { locale: 'fr', elements: [{ type: 'text', name: 'q', title: 'Votre âge' }] };
    expect(diffInstrumentVersions(fr1, fr2).changed[0]!.wording).toEqual([
      { lang: 'fr', before: 'Âge', after: 'Votre âge' },
    ]);
  });
});

describe('textsByLanguage', () => {
  it('takes default as English, unless it repeats the base language', () => {
    expect(textsByLanguage({ default: 'Yes', fr: 'Oui' }, 'en')).toEqual({ en: 'Yes', fr: 'Oui' });
    expect(textsByLanguage({ default: 'Oui', fr: 'Oui' }, 'fr')).toEqual({ fr: 'Oui' });
    expect(textsByLanguage('Oui', 'fr')).toEqual({ fr: 'Oui' });
    expect(textsByLanguage(undefined, 'fr')).toEqual({});
  });
});
