import { cairnetError } from '../../../errors.js';
import type { ImportedInstrument } from '../import-report.js';
import type { LssDocument } from './read-lss.js';

export function lssToInstrument(_doc: LssDocument): ImportedInstrument {
  throw cairnetError('CAIRNET_IMPORT_INVALID', 'LimeSurvey import is not ready yet');
}
