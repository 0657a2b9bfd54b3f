import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type CairnetError, cairnetError, isCairnetError } from '../errors.js';

/** Maps Fastify's own errors (body parsing, limits, schema validation) onto Cairnet's codes. */
function fromFastify(e: FastifyError): CairnetError {
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return cairnetError('CAIRNET_PAYLOAD_TOO_LARGE', 'The body is larger than the 256 KiB allowed');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return cairnetError('CAIRNET_BAD_REQUEST', 'Send the body as application/json');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return cairnetError('CAIRNET_INVALID_JSON', 'The body is not valid JSON');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return cairnetError('CAIRNET_INVALID_JSON', 'The body is empty; send a JSON object');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return cairnetError('CAIRNET_BAD_REQUEST', 'The Content-Length does not match the body');
    default:
      break;
  }
  if (e.validation) return cairnetError('CAIRNET_BAD_REQUEST', `Invalid request: ${e.message}`);
  if (e.statusCode === 400 && e instanceof SyntaxError) {
    return cairnetError('CAIRNET_INVALID_JSON', 'The body is not valid JSON');
  }
  if (e.statusCode === 429) return cairnetError('CAIRNET_RATE_LIMITED', 'Too many requests; wait and retry');
  if (e.statusCode === 413) return cairnetError('CAIRNET_PAYLOAD_TOO_LARGE', 'The body is too large');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return cairnetError('CAIRNET_BAD_REQUEST', e.message);
  }
  return cairnetError('CAIRNET_INTERNAL', 'An unexpected error happened; it has been logged');
}

/**
 * Fastify's own refusals that happen before routing, and so before the error handler: a URL that
 * does not decode (`/drafts/%`, invalid UTF-8) or a path parameter longer than `maxParamLength`.
 * Passed as the `frameworkErrors` option, so that they answer with a Cairnet code too.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const e =
    error.code === 'FST_ERR_BAD_URL'
      ? cairnetError('CAIRNET_BAD_REQUEST', 'The URL is malformed (a broken %-escape or invalid UTF-8)')
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? cairnetError('CAIRNET_BAD_REQUEST', 'A part of the URL is too long')
        : fromFastify(error);
  reply.status(e.statusCode).type('application/json').send(e.toJSON());
}

/**
 * Ajv's type coercion turns "Infinity" or "1e400" into numbers that slip past the schemas'
 * minimum and maximum (a draft's pageNo, a page or a limit in a query string), and JSON.parse
 * reads 1e400 as Infinity: a validated request whose query, parameters or body fields hold a
 * number that is not finite is refused before any route sees it.
 */
function refuseNonFiniteNumbers(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const parts = { query: request.query, params: request.params, body: request.body };
    for (const [where, value] of Object.entries(parts)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      for (const [key, x] of Object.entries(value)) {
        if (typeof x === 'number' && !Number.isFinite(x)) {
          throw cairnetError('CAIRNET_BAD_REQUEST', `The ${where} field "${key}" is not a finite number`);
        }
      }
    }
  });
}

export function installErrorHandler(app: FastifyInstance): void {
  refuseNonFiniteNumbers(app);
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const e = isCairnetError(error) ? error : fromFastify(error);
    if (e.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    reply.status(e.statusCode).type('application/json').send(e.toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    const e = cairnetError('CAIRNET_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`);
    reply.status(404).send(e.toJSON());
  });
}
