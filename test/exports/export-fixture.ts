import { openStore, type Store } from '../../src/store/open-store.js';
import { saveInstrument } from '../../src/store/repositories/instruments.js';
import { insertCompletedResponse } from '../../src/store/repositories/responses.js';

/** A small bilingual instrument with every kind of variable the exports code differently. */
export const EXPORT_INSTRUMENT = {
  title: { default: 'Export test', fr: "Test d'export" },
  pages: [
    {
      name: 'p1',
      elements: [
        {
          type: 'radiogroup',
          name: 'relation',
          title: { default: 'Have you met an association?', fr: 'Avez-vous rencontré une association ?' },
          choices: [
            { value: 'never', text: { default: 'Never', fr: 'Jamais' } },
            { value: 'once', text: { default: 'Once', fr: 'Une fois' } },
            { value: 'ongoing', text: { default: 'Ongoing', fr: 'En cours' } },
          ],
        },
        {
          type: 'checkbox',
          name: 'activities',
          title: { default: 'Activities', fr: 'Activités' },
          visibleIf: "{relation} <> 'never'",
          choices: [
            { value: 'talks', text: { default: 'Talks', fr: 'Conférences' } },
            { value: 'boards', text: { default: 'Boards', fr: 'Conseils' } },
          ],
        },
        {
          type: 'rating',
          name: 'satisfaction',
          title: { default: 'Satisfaction', fr: 'Satisfaction' },
          rateMin: 1,
          rateMax: 5,
        },
        { type: 'text', name: 'years', inputType: 'number', title: { default: 'Years', fr: 'Années' } },
        { type: 'comment', name: 'remarks', title: { default: 'Remarks', fr: 'Remarques' } },
        { type: 'boolean', name: 'funded', title: { default: 'Funded?', fr: 'Financé ?' } },
      ],
    },
  ],
};

export const EXPORT_ANSWERS = [
  {
    synthetic: false,
    data: {
      relation: 'ongoing',
      activities: ['boards', 'talks'],
      satisfaction: 4,
      years: 2.5,
      remarks: '=HYPERLINK("http://evil.example","click")',
      funded: true,
    },
  },
  {
    synthetic: false,
    data: { relation: 'never', satisfaction: 2, remarks: 'Très bien, merci', funded: false },
  },
  { synthetic: true, data: { relation: 'once', activities: [] } },
];

/** A fresh SQLite store holding the instrument as "cairnet" and three responses (one synthetic). */
export async function exportStore(path: string): Promise<Store> {
  const store = await openStore({ db: path, synchronous: 'NORMAL' });
  await writeExportResponses(store);
  return store;
}

/** Stores the export instrument as "cairnet" and its three responses (one synthetic), a minute apart. */
export async function writeExportResponses(store: Store): Promise<void> {
  await saveInstrument(store.db, 'cairnet', EXPORT_INSTRUMENT);
  let minute = 10;
  for (const a of EXPORT_ANSWERS) {
    await insertCompletedResponse(store.db, {
      instrumentName: 'cairnet',
      instrumentVersion: 1,
      data: a.data,
      synthetic: a.synthetic,
      completedAt: `2024-05-01T10:${minute++}:00.000Z`,
    });
  }
}
