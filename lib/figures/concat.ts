/** Several vega-lite panels side by side as one spec. */
import type { Spec } from './common';

/**
 * Side-by-side panels as one vega-lite spec (hconcat): each child loses its `$schema` / `config` (top level only), the
 * first child's config is kept; colour scales are shared, so one legend serves every panel.
 */
export function concatSpecs(specs: readonly Spec[], opts: { title?: string } = {}): Spec {
  if (specs.length === 0) throw new Error('concatSpecs: no specs');
  const children = specs.map((sp) => {
    const { $schema: _s, config: _c, ...rest } = sp as unknown as Record<string, unknown>;
    return rest;
  });
  const first = specs[0] as unknown as Record<string, unknown>;
  return { $schema: first.$schema, ...(opts.title ? { title: opts.title } : {}), config: first.config, hconcat: children } as unknown as Spec;
}
