import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import { erasePersonRows, personByKey, unerasedPeople } from '../store/repositories/campaign-people.js';
import type { CairnetDatabase } from '../store/schema.js';
import { readSettings } from './campaign-settings.js';
import { emailKey, normaliseEmail } from './email-address.js';

/**
 * Erases a person of a survey's population on request (their row in that survey only: the same
 * address in another survey's population is another person, erased on their own request): their
 * address, name and strata are removed, their personal links stop working (message rows
 * deleted), their unfinished draft is deleted, and the pseudonym on their response is cut from
 * them. What remains is a row without personal data — the keyed hash of the address, so a
 * re-import does not bring them back, and the flags "invited", "completed" — so the campaign's
 * totals do not change. Their completed response stays, pseudonymous.
 */
export async function erasePerson(
  db: Kysely<CairnetDatabase>,
  survey: string,
  email: string,
): Promise<{ personId: string }> {
  const person = await personByKey(db, survey, emailKey(normaliseEmail(email)));
  if (!person || person.erased_at) {
    throw cairnetError(
      'CAIRNET_PERSON_NOT_FOUND',
      `No one in the population of ${survey} with the address ${email}`,
    );
  }
  await erasePersonRows(db, person.id, person.pseudonym);
  return { personId: person.id };
}

/**
 * Applies a survey's retention setting: once `closed_at` + `retention_days` has passed, every
 * person of its population still holding personal data is erased (as by {@link erasePerson}).
 * Returns how many were, or would be with `dryRun`, and the date from which it applies.
 */
export async function applyRetention(
  db: Kysely<CairnetDatabase>,
  survey: string,
  opts: { dryRun?: boolean; now?: Date } = {},
): Promise<{ due: string | null; applies: boolean; erased: number }> {
  const s = await readSettings(db, survey);
  if (!s.closedAt) return { due: null, applies: false, erased: 0 };
  const due = new Date(Date.parse(s.closedAt) + s.retentionDays * 86_400_000);
  const applies = (opts.now ?? new Date()) >= due;
  const people = await unerasedPeople(db, survey);
  if (!applies || opts.dryRun)
    return { due: due.toISOString(), applies, erased: applies ? people.length : 0 };
  for (const p of people) await erasePersonRows(db, p.id, p.pseudonym);
  return { due: due.toISOString(), applies, erased: people.length };
}
