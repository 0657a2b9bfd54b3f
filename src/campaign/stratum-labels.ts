import type { Kysely } from 'kysely';
import { deriveCodebook } from '../instrument/derive-codebook.js';
import type { InstrumentJson, LocalisedText } from '../instrument/types.js';
import { currentInstrument } from '../store/repositories/instruments.js';
import type { CairnetDatabase } from '../store/schema.js';

/** The names of the strata a population import knows by name, in both languages. */
const FIELD_LABELS: Record<string, LocalisedText> = {
  unit: { fr: 'Unité', en: 'Unit' },
  age_band: { fr: 'Tranche d’âge', en: 'Age band' },
  status: { fr: 'Statut', en: 'Status' },
  clinical_activity: { fr: 'Activité clinique', en: 'Clinical activity' },
  gender: { fr: 'Genre', en: 'Gender' },
  research_kind: { fr: 'Type de recherche', en: 'Kind of research' },
  field: { fr: 'Discipline', en: 'Field' },
  region: { fr: 'Région', en: 'Region' },
};

export interface StratumLabels {
  /** field → its name in both languages */
  fields: Record<string, LocalisedText>;
  /** field → value code → its label in both languages (from the questionnaire's question of that name) */
  values: Record<string, Record<string, LocalisedText>>;
}

/**
 * Labels for the strata of the campaign status, so that pages show "Age band: 40–44", not
 * `age_band: 40_44`: field names from Cairnet's list (else the questionnaire's question of the
 * same name), value labels from that question's choices. A field or value without a label keeps
 * its code.
 */
export async function stratumLabels(
  db: Kysely<CairnetDatabase>,
  instrumentName: string,
  fields: string[],
): Promise<StratumLabels> {
  const stored = await currentInstrument(db, instrumentName);
  const variables = stored ? deriveCodebook(stored.json as InstrumentJson).variables : [];
  const out: StratumLabels = { fields: {}, values: {} };
  for (const field of fields) {
    const v = variables.find((x) => x.name === field);
    const name = FIELD_LABELS[field] ?? v?.label;
    if (name) out.fields[field] = name;
    if (v && v.levels.length > 0) {
      out.values[field] = Object.fromEntries(v.levels.map((l) => [String(l.value), l.label]));
    }
  }
  return out;
}
