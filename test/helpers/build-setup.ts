import { ensureBuild } from '../../bin/build.mjs';

/**
 * Vitest's global setup: tests run the TypeScript sources, but the browser bundles the server
 * serves and the `cairnet` processes the end-to-end tests start come from dist/, so bring it up to
 * date first (a no-op after `npm ci`, a few seconds after an edit).
 */
export default async function setup(): Promise<void> {
  await ensureBuild();
}
