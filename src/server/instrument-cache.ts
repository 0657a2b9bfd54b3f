import type { Kysely } from 'kysely';
import { cairnetError } from '../errors.js';
import { currentInstrument, type StoredInstrument } from '../store/repositories/instruments.js';
import { findSurvey } from '../store/repositories/surveys.js';
import type { CairnetDatabase } from '../store/schema.js';

/**
 * The current version of each instrument, re-read from the store at most every `ttlMs`, so that
 * several app servers see a new version within that delay and keep no other state.
 */
export class InstrumentCache {
  private readonly entries = new Map<string, { at: number; instrument: StoredInstrument; demo: boolean }>();
  constructor(
    private readonly db: Kysely<CairnetDatabase>,
    private readonly ttlMs = 5000,
  ) {}

  async current(name: string): Promise<StoredInstrument> {
    const hit = this.entries.get(name);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.instrument;
    const instrument = /^[a-z0-9][a-z0-9_-]{0,63}$/i.test(name)
      ? await currentInstrument(this.db, name)
      : undefined;
    if (!instrument)
      throw cairnetError('CAIRNET_INSTRUMENT_NOT_FOUND', `No instrument named "${name.slice(0, 64)}"`);
    const demo = (await findSurvey(this.db, name))?.kind === 'demo';
    this.entries.set(name, { at: Date.now(), instrument, demo });
    return instrument;
  }

  /**
   * The current version of an instrument that takes real responses: a demonstration survey
   * (synthetic responses only) is `CAIRNET_SURVEY_REAL_REFUSED`.
   */
  async forRespondents(name: string): Promise<StoredInstrument> {
    const instrument = await this.current(name);
    if (this.entries.get(name)?.demo)
      throw cairnetError(
        'CAIRNET_SURVEY_REAL_REFUSED',
        `"${name}" is a demonstration survey: it takes no real response`,
      );
    return instrument;
  }

  invalidate(name?: string): void {
    if (name) this.entries.delete(name);
    else this.entries.clear();
  }
}
