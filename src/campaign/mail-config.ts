import { cairnetError } from '../errors.js';

/** Where and how the campaign's e-mails go, from the environment. */
export interface MailConfig {
  /** `smtp://host:port` or `smtps://user:pass@host:port` (CAIRNET_SMTP_URL). */
  smtpUrl: string;
  /** The From: address (CAIRNET_MAIL_FROM), e.g. `"Enquête Cairnet" <cairnet@inserm.fr>`. */
  from: string;
  /** The public address links point to (CAIRNET_PUBLIC_URL), without a trailing slash. */
  publicUrl: string;
}

/** Reads the mail configuration; `needSmtp: false` (dry runs) asks only for the public URL. */
export function mailConfigFromEnv(env: NodeJS.ProcessEnv = process.env, needSmtp = true): MailConfig {
  const publicUrl = (env.CAIRNET_PUBLIC_URL ?? '').trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(publicUrl)) {
    throw cairnetError(
      'CAIRNET_MAIL_CONFIG_INVALID',
      'Set CAIRNET_PUBLIC_URL to the address respondents reach (https://enquete.example.org)',
    );
  }
  const smtpUrl = (env.CAIRNET_SMTP_URL ?? '').trim();
  const from = (env.CAIRNET_MAIL_FROM ?? '').trim();
  if (needSmtp) {
    if (!/^smtps?:\/\/[^\s]+$/.test(smtpUrl)) {
      throw cairnetError(
        'CAIRNET_MAIL_CONFIG_INVALID',
        'Set CAIRNET_SMTP_URL (smtp://host:port or smtps://user:pass@host:port)',
      );
    }
    if (!/@/.test(from)) {
      throw cairnetError('CAIRNET_MAIL_CONFIG_INVALID', 'Set CAIRNET_MAIL_FROM to the sender address');
    }
  }
  return { smtpUrl, from: from || 'cairnet@localhost', publicUrl };
}
