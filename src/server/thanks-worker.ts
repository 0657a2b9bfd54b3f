import type { MailConfig } from '../campaign/mail-config.js';
import type { MailTransport } from '../campaign/send-campaign.js';
import { sendDueThanks, type ThanksOptions } from '../campaign/send-thanks.js';
import type { Store } from '../store/open-store.js';

export interface ThanksWorkerOptions {
  /** How often the worker looks for thank-yous when nobody pokes it (default 30 s). */
  pollMs?: number;
  mailConfig: () => MailConfig;
  transport?: MailTransport;
  log?: (message: string) => void;
  /** Test seams passed to `sendDueThanks` (the clock, the retry delays). */
  sending?: Pick<ThanksOptions, 'now' | 'retryAfterMs' | 'retryForMs' | 'staleAfterMs'>;
}

/**
 * An app server's sender of thank-yous (src/campaign/send-thanks.ts), beside its job worker: poked
 * after each invited completion so the thank-you leaves within seconds, and polling otherwise (a
 * thank-you owed by a server that died, one to retry, a day of anonymous completions). Several
 * servers may run one each: each thank-you is claimed by exactly one. Failures (no mail
 * configuration, the SMTP server down) leave the thank-yous owed and are logged once until they
 * change; the response was acknowledged long before.
 */
export class ThanksWorker {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private again = false;
  private lastError = '';
  private readonly pollMs: number;

  constructor(
    private readonly store: Store,
    private readonly opts: ThanksWorkerOptions,
  ) {
    this.pollMs = opts.pollMs ?? 30_000;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** A thank-you became owed: look now rather than at the next poll. */
  poke(): void {
    this.again = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.again = false;
      try {
        const r = await sendDueThanks(this.store.db, {
          config: this.opts.mailConfig,
          ...(this.opts.transport ? { transport: this.opts.transport } : {}),
          ...this.opts.sending,
          shouldStop: () => this.stopping,
        });
        this.lastError = '';
        if (r.sent + r.failed + r.retryLater + r.uncertain > 0) {
          this.opts.log?.(
            `cairnet: thank-yous sent ${r.sent}, refused ${r.failed}, to retry ${r.retryLater}, uncertain ${r.uncertain}`,
          );
        }
      } catch (e) {
        const message = `cairnet: thank-yous: ${(e as Error).message}`;
        if (message !== this.lastError) this.opts.log?.(message);
        this.lastError = message;
      }
      if (this.again || this.stopping) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.pollMs);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
