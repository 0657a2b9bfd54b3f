/**
 * The published figures of PUBLISHED.md computed from raw SurveyJS answer objects by plain
 * counting, independently of the generator's code. Values are percentages.
 */
type Data = Record<string, unknown>;

const pct = (part: number, whole: number) => (whole === 0 ? Number.NaN : (100 * part) / whole);
const share = (rows: Data[], test: (d: Data) => boolean) => pct(rows.filter(test).length, rows.length);
const row = (d: Data, matrix: string, key: string) =>
  (d[matrix] as Record<string, string> | undefined)?.[key];
const agrees = (v: unknown) => v === 'agree' || v === 'strongly_agree';
const disagrees = (v: unknown) => v === 'disagree' || v === 'strongly_disagree';
const helps = (v: unknown) => v === 'useful' || v === 'determining';

export function publishedFigures(all: Data[]): Record<string, number> {
  const contact = all.filter((d) => d.relation === 'short_term' || d.relation === 'ongoing');
  const ongoing = all.filter((d) => d.relation === 'ongoing');
  const funded = contact.filter((d) => d.funding === 'yes');
  const isOngoing = (d: Data) => d.relation === 'ongoing';
  return {
    F2: share(all, (d) => d.relation === 'short_term' || d.relation === 'ongoing'),
    F3: share(all, isOngoing),
    F4: share(all, (d) => d.relation === 'short_term'),
    F7: share(
      all.filter((d) => d.age_band === 'lt30'),
      isOngoing,
    ),
    F8: share(
      all.filter((d) => d.age_band === '50_54'),
      isOngoing,
    ),
    F9: share(
      all.filter((d) => d.age_band === '55_59'),
      isOngoing,
    ),
    F10_clinicians: share(
      all.filter((d) => d.clinical_activity === 'yes'),
      isOngoing,
    ),
    F10_others: share(
      all.filter((d) => d.clinical_activity === 'no'),
      isOngoing,
    ),
    F11: share(contact, (d) => d.funding === 'yes'),
    F12: share(funded, (d) => d.funding_amount === 'lt10k' || d.funding_amount === '10_40k'),
    F13: share(funded, (d) => d.funding_amount === 'gt2_5m'),
    F14: share(all, (d) => agrees(row(d, 'opinion', 'best_placed'))),
    F15: share(all, (d) => helps(row(d, 'benefit', 'daily_life'))),
    F16: share(contact, (d) => helps(row(d, 'benefit', 'motivation'))),
    F17: share(contact, (d) => helps(row(d, 'benefit', 'value'))),
    F18_all: share(all, (d) => disagrees(row(d, 'opinion', 'freedom'))),
    F18_ongoing: share(ongoing, (d) => disagrees(row(d, 'opinion', 'freedom'))),
    F19_all: share(all, (d) => disagrees(row(d, 'opinion', 'time'))),
    F19_ongoing: share(ongoing, (d) => disagrees(row(d, 'opinion', 'time'))),
  };
}

/** Targets: the published value, or the value the brief settles on where the text is vague. */
export const TARGETS: Record<string, number> = {
  F2: 81,
  F3: 41,
  F4: 40,
  F7: 11,
  F8: 57,
  F9: 50,
  F10_clinicians: 67,
  F10_others: 36,
  F11: 45,
  F12: 25,
  F13: 5,
  F14: 80,
  F15: 50,
  F16: 66.7,
  F17: 80,
  F18_all: 70,
  F18_ongoing: 77,
  F19_all: 55,
  F19_ongoing: 66.7,
};
