/**
 * dinov2's optimiser parameter groups for lib/engine/adamw's AdamW: wd 0 for biases, norms, tokens (`paramGroupFor`),
 * and an lr override for the prototype layer (frozen during the first epoch).
 */

export interface ParamGroup {
  /** Weight decay multiplier (0 or 1). */
  wdMult: number;
  /** Which lr schedule applies: the main one or the last-layer one. */
  lrGroup: 'main' | 'lastLayer';
}

/**
 * dinov2 `get_params_groups_with_decay`: no weight decay on biases, norm parameters, layer-scale gammas, position
 * embeddings and tokens (cls/mask/register). Matched by name.
 */
export function paramGroupFor(name: string, lastLayerName?: string): ParamGroup {
  const n = name.toLowerCase();
  const noWd = n.endsWith('bias') || /norm/.test(n) || /(^|[._])(ls\d?|gamma)([._]|$)/.test(n) || /pos_embed|cls_token|mask_token|register/.test(n);
  return { wdMult: noWd ? 0 : 1, lrGroup: name === lastLayerName ? 'lastLayer' : 'main' };
}

