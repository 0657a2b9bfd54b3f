import { cairnetError } from '../../errors.js';
import { joinQuotaValues, QUOTA_SHEET } from '../quota-sheet.js';
import { quotasOf } from '../quotas.js';
import type { InstrumentJson, LocalisableString } from '../types.js';

type Row = Record<string, string>;

/** What the `cairnet_quotas` sheet of an export holds. */
export interface QuotaSheetSummary {
  quotas: number;
  members: number;
}

/**
 * The rows of the `cairnet_quotas` sheet (see src/instrument/quota-sheet.ts): one per member,
 * the quota's limit, action and messages on its first row. A quota the sheet could not give
 * back as it is (a name that is empty, starts or ends with a space or is used twice; no
 * member; a default message other than its English one) is `CAIRNET_INSTRUMENT_EXPORT_UNSUPPORTED`, named: never written differently.
 */
export function quotaRows(
  json: InstrumentJson,
  localised: (base: string, text: LocalisableString | undefined, out: Row) => void,
): { rows: Row[]; summary: QuotaSheetSummary } {
  const rows: Row[] = [];
  const seen = new Set<string>();
  let members = 0;
  const quotas = quotasOf(json);
  for (const q of quotas) {
    const refuse = (why: string) => {
      throw cairnetError(
        'CAIRNET_INSTRUMENT_EXPORT_UNSUPPORTED',
        `The quota "${q.name}" ${why}: the ${QUOTA_SHEET} sheet could not give it back as it is`,
      );
    };
    if (q.name.trim() === '' || q.name.trim() !== q.name)
      refuse('has a name that is empty or starts or ends with a space');
    if (seen.has(q.name)) refuse('shares its name with another quota');
    seen.add(q.name);
    if (q.members.length === 0) refuse('has no members');
    const message = q.message;
    if (
      message &&
      typeof message === 'object' &&
      typeof message.default === 'string' &&
      typeof message.en === 'string' &&
      message.default !== message.en
    )
      refuse('has a default message and a different English one');
    q.members.forEach((m, i) => {
      const row: Row = { quota: q.name };
      if (i === 0) {
        row.limit = String(q.limit);
        row.action = q.action;
        localised('message', q.message, row);
      }
      row.question = m.question;
      row.values = joinQuotaValues(m.values);
      rows.push(row);
      members++;
    });
  }
  return { rows, summary: { quotas: quotas.length, members } };
}
