import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { findPublication, type Publication } from '../store/repositories/publications.js';
import type { CairnetDatabase } from '../store/schema.js';

/** A rendered public page (or JSON), with what it was rendered from and its entity tag. */
export interface CachedPage {
  /** The published version it shows: an opaque value (today publication date and results' computation; later a snapshot id). */
  version: string;
  body: string;
  etag: string;
}

/**
 * The public results, rendered once per published version and language and served from memory:
 * a burst of readers costs a look-up of the publication (one row by its key, so that a
 * withdrawal, from any server or the command line, takes effect at once) and a map look-up
 * each, and a 304 when their copy is current.
 */
export class PublicPageCache {
  private readonly pages = new Map<string, { version: string; page: Promise<CachedPage> }>();

  constructor(private readonly db: Kysely<CairnetDatabase>) {}

  /** The survey's publication, or null when its results are not public. */
  publication(name: string): Promise<Publication | null> {
    return findPublication(this.db, name);
  }

  /** Publishing or withdrawing changed what is public: drop the survey's pages. */
  forget(name: string): void {
    for (const key of this.pages.keys()) if (key.startsWith(`${name}\u0000`)) this.pages.delete(key);
  }

  /** The page for `key` at `version`: rendered once, shared by every request for that version. */
  page(key: string, version: string, render: () => Promise<string> | string): Promise<CachedPage> {
    const hit = this.pages.get(key);
    if (hit && hit.version === version) return hit.page;
    const page = (async () => {
      const body = await render();
      const etag = `"${createHash('sha256').update(version).update('\u0000').update(body).digest('base64url').slice(0, 27)}"`;
      return { version, body, etag };
    })();
    this.pages.set(key, { version, page });
    page.catch(() => {
      if (this.pages.get(key)?.page === page) this.pages.delete(key);
    });
    return page;
  }
}

/** The key of a survey's page in a language and form. */
export const pageKey = (name: string, variant: string) => `${name}\u0000${variant}`;

/**
 * Sends a cached page: `ETag` and `Cache-Control` (a minute in shared caches; revalidate after),
 * and `304 Not Modified` with no body when the client already holds it (`If-None-Match`).
 */
export function sendCachedPage(req: FastifyRequest, reply: FastifyReply, page: CachedPage, type: string) {
  reply.header('etag', page.etag).header('cache-control', 'public, max-age=60');
  const held = req.headers['if-none-match'];
  const tags = typeof held === 'string' ? held.split(',').map((s) => s.trim().replace(/^W\//, '')) : [];
  if (tags.includes(page.etag) || tags.includes('*')) return reply.code(304).send();
  return reply.type(type).send(page.body);
}
