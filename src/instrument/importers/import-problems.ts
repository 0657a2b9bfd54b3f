import { cairnetError } from '../../errors.js';
import type { ImportError, ImportNote } from './import-report.js';

/**
 * What an importer meets on its way through a file: losses (`notCarried`, the import goes on)
 * and real errors in the source (`errors`, such as an unbalanced quote), all collected so that
 * one run reports every problem of the file. {@link throwIfErrors} ends the import when the
 * source had errors.
 */
export class ImportProblems {
  readonly notCarried: ImportNote[] = [];
  readonly errors: ImportError[] = [];

  /** Records a loss: `where` is `question NAME` (or `group …`, `survey`, `settings`). */
  lose(where: string, attribute: string | undefined, message: string): void {
    const note: ImportNote = attribute === undefined ? { where, message } : { where, attribute, message };
    if (!this.notCarried.some((n) => n.where === where && n.attribute === attribute && n.message === message))
      this.notCarried.push(note);
  }

  /** Records an error of the source itself. */
  fail(where: string, attribute: string | undefined, message: string): void {
    this.errors.push(attribute === undefined ? { where, message } : { where, attribute, message });
  }

  /** Throws `CAIRNET_IMPORT_EXPRESSION_INVALID` listing every error, when there is one. */
  throwIfErrors(): void {
    if (this.errors.length === 0) return;
    const first = this.errors[0]!;
    const more = this.errors.length > 1 ? ` (and ${this.errors.length - 1} more)` : '';
    throw cairnetError(
      'CAIRNET_IMPORT_EXPRESSION_INVALID',
      `${first.where}${first.attribute ? ` ${first.attribute}` : ''}: ${first.message}${more}`,
      this.errors,
    );
  }
}
