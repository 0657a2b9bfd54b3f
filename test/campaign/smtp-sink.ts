import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
  subject: string;
  text: string;
  html: string;
  /** The personal link's token found in the message, if any. */
  token: string | undefined;
}

/**
 * A real SMTP server on 127.0.0.1 (a free port) that keeps what it receives. `rejectRcpt` makes
 * it refuse an address (550), `deferRcpt` for now (450); `dropOnMessage(n)` makes it read the n-th message (0-based) and
 * then drop the connection without answering — the client cannot tell whether it was accepted.
 */
export async function startSmtpSink() {
  const received: ReceivedMail[] = [];
  const rejected = new Set<string>();
  const deferred = new Set<string>();
  let dropAt: number | undefined;
  let dataCount = 0;
  let lastSocket: Socket | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (rejected.has(address.address.toLowerCase())) {
        const err = new Error('No such user here') as Error & { responseCode: number };
        err.responseCode = 550;
        return cb(err);
      }
      if (deferred.has(address.address.toLowerCase())) {
        const err = new Error('Greylisted, try again later') as Error & { responseCode: number };
        err.responseCode = 450;
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push(
          parseMail(
            raw,
            session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          ),
        );
        const n = dataCount++;
        if (dropAt === n) {
          lastSocket?.destroy();
          return;
        }
        cb();
      });
    },
  });
  server.server.on('connection', (s: Socket) => {
    lastSocket = s;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    rejectRcpt(address: string) {
      rejected.add(address.toLowerCase());
    },
    /** Refuses the address for now (450) until called again with `false`. */
    deferRcpt(address: string, on = true) {
      if (on) deferred.add(address.toLowerCase());
      else deferred.delete(address.toLowerCase());
    },
    dropOnMessage(n: number | undefined) {
      dropAt = n === undefined ? undefined : dataCount + n;
    },
    to(address: string) {
      return received.filter((m) => m.to.includes(address.toLowerCase()));
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function decode(body: string, encoding: string): string {
  const e = encoding.toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

function header(head: string, name: string): string {
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded);
  return m?.[1]?.trim() ?? '';
}

function decodeWords(s: string): string {
  return s.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decode(text.replace(/_/g, ' '), 'quoted-printable'),
  );
}

export function parseMail(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const parts: { type: string; text: string }[] = [];
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(header(head, 'Content-Type'))?.[1];
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`)) {
      const i = chunk.indexOf('\r\n\r\n');
      if (i < 0) continue;
      const h = chunk.slice(0, i);
      parts.push({
        type: header(h, 'Content-Type'),
        text: decode(chunk.slice(i + 4), header(h, 'Content-Transfer-Encoding')),
      });
    }
  } else {
    parts.push({
      type: header(head, 'Content-Type'),
      text: decode(body, header(head, 'Content-Transfer-Encoding')),
    });
  }
  const text = parts.find((p) => p.type.startsWith('text/plain'))?.text ?? '';
  const html = parts.find((p) => p.type.startsWith('text/html'))?.text ?? '';
  const token = /\/i\/([A-Za-z0-9_-]{22,128})/.exec(text)?.[1];
  return { to, raw, subject: decodeWords(header(head, 'Subject')), text, html, token };
}
