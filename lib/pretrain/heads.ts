/**
 * The projection heads of a pretraining replica (student or teacher): the DINO head on CLS tokens and, when
 * `head.ibotSeparateHead`, a separate iBOT head on masked patch tokens (dinov2 `SSLMetaArch`: `dino_head`, `ibot_head`;
 * with a shared head the iBOT logits come from `dino_head` in the same pass).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../engine/rng';
import { PretrainConfig } from './config';
import { DinoHead } from './dino-head';

export interface Heads {
  dino: DinoHead;
  ibot?: DinoHead;
}

export interface HeadLogits {
  dinoLogits: tf.Tensor2D;
  ibotLogits: tf.Tensor2D | null;
}

/** Heads seeded from `init` (forks 'dino_head' / 'ibot_head'), so the same rng gives the same initial values. */
export function createHeads(c: PretrainConfig, inDim: number, init: Rng): Heads {
  const cfg = { inDim, hiddenDim: c.head.hiddenDim, bottleneckDim: c.head.bottleneckDim, outDim: c.head.prototypes, inputNorm: c.head.inputNorm };
  return {
    dino: new DinoHead(cfg, init.fork('dino_head'), 'dino_head'),
    ibot: c.head.ibotSeparateHead ? new DinoHead(cfg, init.fork('ibot_head'), 'ibot_head') : undefined,
  };
}

/** Every head parameter by key (`dino_head.…`, `ibot_head.…`). */
export function headParams(h: Heads): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const head of [h.dino, h.ibot]) if (head) for (const [k, p] of head.params) out.set(k, p);
  return out;
}

/** Head outputs: DINO logits of the CLS rows, iBOT logits of the masked patch rows (shared head: one pass). */
export function headLogits(h: Heads, cls: tf.Tensor2D, masked: tf.Tensor2D | null): HeadLogits {
  if (!masked) return { dinoLogits: h.dino.apply(cls), ibotLogits: null };
  if (h.ibot) return { dinoLogits: h.dino.apply(cls), ibotLogits: h.ibot.apply(masked) };
  const n = cls.shape[0];
  const [dinoLogits, ibotLogits] = tf.tidy(() => {
    const both = h.dino.apply(tf.concat([cls, masked], 0) as tf.Tensor2D);
    return [tf.slice(both, [0, 0], [n, -1]) as tf.Tensor2D, tf.slice(both, [n, 0], [masked.shape[0], -1]) as tf.Tensor2D];
  });
  return { dinoLogits, ibotLogits };
}

export function disposeHeads(h: Heads): void {
  h.dino.dispose();
  h.ibot?.dispose();
}
