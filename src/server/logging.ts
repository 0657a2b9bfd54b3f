import type { FastifyServerOptions } from 'fastify';

const SECRET_PARAMS = /([?&](?:resume|invitation|token|t|optout)=)[^&#]*/gi;
const SECRET_SEGMENTS = /(\/(?:drafts|invitations|i|optout)\/)[^/?#]+/gi;

/** A URL fit for a log line: resume and invitation tokens replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_SEGMENTS, '$1***').replace(SECRET_PARAMS, '$1***');
}

/**
 * Fastify logger options that keep personal data out of the logs: request lines carry the
 * method and a redacted URL only (no address, no headers, no bodies).
 */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: redactUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
