import type { FastifyServerOptions } from 'fastify';

/** Query parameters that carry a secret (resume, invitation, opt-out and press-answer tokens). */
const SECRET_PARAMS = new Set(['resume', 'invitation', 'invitationtoken', 'token', 't', 'optout', 'key']);
/** Path segments followed by a secret: `/drafts/TOKEN`, `/i/TOKEN`, `/optout/TOKEN`, `/press/answer/TOKEN`. */
const SECRET_SEGMENTS = new Set(['drafts', 'invitations', 'i', 'optout', 'answer']);
/** Anything shaped like one of our tokens (22+ characters of base64url) is a secret, wherever it is. */
const TOKEN_SHAPED = /^[A-Za-z0-9_-]{20,}$/;
/** A route parameter whose name says it holds a secret. */
const SECRET_PARAM_NAME = /token|secret|key/i;

const looksSecret = (value: string): boolean => {
  let decoded = value;
  try {
    decoded = decodeURIComponent(value);
  } catch {}
  return TOKEN_SHAPED.test(decoded);
};

/**
 * A URL fit for a log line: resume, invitation, opt-out and press-answer tokens replaced by
 * `***` — after a known segment, in a known query parameter, or anywhere a path segment or a
 * query value has a token's shape.
 */
export function redactUrl(url: string, routePattern?: string): string {
  const hash = url.indexOf('#');
  const bare = hash >= 0 ? url.slice(0, hash) : url;
  const q = bare.indexOf('?');
  const path = q >= 0 ? bare.slice(0, q) : bare;
  const query = q >= 0 ? bare.slice(q + 1) : undefined;
  const pattern = routePattern?.split('/');
  const segments = path.split('/').map((seg, i, all) => {
    const declared = pattern?.[i];
    if (declared?.startsWith(':') && SECRET_PARAM_NAME.test(declared)) return '***';
    if (i > 0 && SECRET_SEGMENTS.has((all[i - 1] ?? '').toLowerCase()) && seg !== '') return '***';
    return looksSecret(seg) ? '***' : seg;
  });
  if (query === undefined) return segments.join('/');
  const pairs = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 0) return looksSecret(pair) ? '***' : pair;
    const k = pair.slice(0, eq);
    const v = pair.slice(eq + 1);
    return SECRET_PARAMS.has(k.toLowerCase()) || looksSecret(v) ? `${k}=***` : pair;
  });
  return `${segments.join('/')}?${pairs.join('&')}`;
}

/**
 * Fastify logger options that keep personal data out of the logs: request lines carry the
 * method and a redacted URL only (no address, no headers, no bodies). The route's own pattern
 * tells which path parameters are secrets (`:token`, `:resumeToken`).
 */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    serializers: {
      req: (req: { method: string; url: string; routeOptions?: { url?: string } }) => ({
        method: req.method,
        url: redactUrl(req.url, req.routeOptions?.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
