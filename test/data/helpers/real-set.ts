/**
 * Tests on the real sets run where the sets are found (docs/data.md, "Real sets") and are skipped — saying which set
 * and where it was looked for — in a clone without them.
 */
import { loadManifest } from '../../../lib/data/manifest';
import { DatasetNotFoundError, resolveDataRoot } from '../../../lib/data/paths';

/** The set's data root, or `ctx.skip()` (pending, with the not-found line printed once per set) when it is not here. */
export function realSetOrSkip(ctx: Mocha.Context, id: string): string {
  try {
    return resolveDataRoot(loadManifest(id));
  } catch (e) {
    if (!(e instanceof DatasetNotFoundError)) throw e;
    if (!reported.has(id)) { reported.add(id); console.log(`      (real set not here: ${e.message})`); }
    ctx.skip();
  }
}

const reported = new Set<string>();
