/**
 * The student half of a DINOv2 step (dinov2 `SSLMetaArch.forward_backward`, student side): forward of the global crops
 * (with iBOT masks) and local crops, DINO head on every CLS, iBOT head on the masked patches, the weighted sum of
 * DINO + iBOT + KoLeo, and its gradient w.r.t. every student parameter. The teacher targets come in as probabilities.
 *
 * The same function runs the whole batch in one process (`PretrainRun.trainStep`) and one shard of it in a worker
 * (`shard-worker.ts`): its losses are means over the images it is given, exactly like one dinov2 DDP rank, so the mean of
 * equal shards' gradients is the full-batch gradient (KoLeo aside: it compares the images of one shard, as dinov2's
 * per-rank KoLeo does).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../engine/rng';
import { ViT } from '../models/vit';
import { PretrainConfig } from './config';
import { dinoLoss } from './dino-loss';
import '../engine/gradients';
import { HeadLogits, headLogits, headParams, Heads } from './heads';
import { ibotLoss, maskedPatchIndex } from './ibot-loss';
import { koleoLoss } from './koleo-loss';

/** A trainable student replica: backbone + heads, parameters by state-dict key. */
export interface StudentModel {
  vit: ViT;
  heads: Heads;
  /** Backbone keys as dinov2's state dict; heads prefixed dino_head. / ibot_head. */
  params: Map<string, tf.Variable>;
}

/** Builds the parameter map of a student replica (backbone first, then heads: the AdamW / checkpoint order). */
export function studentModel(vit: ViT, heads: Heads): StudentModel {
  const params = new Map<string, tf.Variable>(vit.params);
  for (const [k, p] of headParams(heads)) params.set(k, p);
  return { vit, heads, params };
}

/** What the student sees of a batch of b images (tensors owned by the caller). */
export interface StudentInputs {
  /** [2b, C, G, G] global crops, crop-major (all images' crop 0, then crop 1). */
  global: tf.Tensor4D;
  /** [nL·b, C, L, L] local crops, crop-major; null without local crops. */
  local: tf.Tensor4D | null;
  /** [2b, T] iBOT masks (1 = masked); null when no patch is masked (no iBOT term, mask_token gets no gradient). */
  masks: tf.Tensor2D | null;
  /** Flat indices of the masked patches in [2b·T] and their weights 1 / (masked count of the image) (`maskedPatchIndex`). */
  maskedIndex: tf.Tensor1D;
  maskedWeights: tf.Tensor1D;
  /** Teacher targets: [2b, K] DINO probabilities (crop-major) and [M, K] iBOT probabilities of the masked patches. */
  dinoProbs: tf.Tensor2D;
  ibotProbs: tf.Tensor2D | null;
}

/**
 * The student inputs of a batch of b images from the arrays of `PretrainRun.prepareBatch` (or of one shard): crops as
 * NCHW tensors, masks and masked-patch index / weights; `masks` is null (no iBOT term) when iBOT is off or nothing is
 * masked. `tokens` = patch tokens per global crop. Free with `disposeInputs`.
 */
export function studentBatch(c: PretrainConfig, tokens: number, data: { global: Float32Array; local: Float32Array; masks: Uint8Array }): Omit<StudentInputs, 'dinoProbs' | 'ibotProbs'> {
  const G = c.crops.globalSize, L = c.crops.localSize, nL = c.crops.nLocal;
  const b = data.global.length / (2 * G * G);
  const { indices, weights } = maskedPatchIndex(data.masks, 2 * b, tokens);
  const useIbot = c.ibot.lossWeight > 0 && indices.length > 0;
  return {
    global: tf.tensor4d(data.global, [2 * b, 1, G, G]),
    local: nL > 0 ? tf.tensor4d(data.local, [nL * b, 1, L, L]) : null,
    masks: useIbot ? tf.tensor2d(Float32Array.from(data.masks), [2 * b, tokens]) : null,
    maskedIndex: tf.tensor1d(indices, 'int32'),
    maskedWeights: tf.tensor1d(weights),
  };
}

/** Disposes every tensor of (partial) student inputs. */
export function disposeInputs(x: Partial<StudentInputs>): void {
  for (const t of Object.values(x)) if (t instanceof tf.Tensor) t.dispose();
}

export interface StudentResult {
  /** Gradient of `total` by parameter key (a parameter the loss does not reach has none, as torch's grad None). */
  grads: Map<string, tf.Tensor>;
  dino: number;
  ibot: number;
  koleo: number;
  total: number;
  /** Mean entropy of the student's DINO softmax over the global crops (health.ts; no gradient). */
  studentEntropy: number;
}

/**
 * Loss and gradients of the student on one batch. `rng` is the stream drop-path draws from (forks 'droppath:g' and
 * 'droppath:l'). Returned gradients are new tensors owned by the caller.
 */
export function studentLossAndGrads(model: StudentModel, x: StudentInputs, c: PretrainConfig, rng: Rng): StudentResult {
  const b = x.global.shape[0] / 2;
  const D = model.vit.config.dim;
  const T = x.masks ? x.masks.shape[1] : 0;
  const parts: tf.Scalar[] = [];
  const names = new Map<string, string>();
  for (const [k, p] of model.params) names.set(p.name, k);
  const { value, grads } = tf.variableGrads(() => {
    const g = model.vit.forward(x.global, { training: true, masks: x.masks ?? undefined, rng: rng.fork('droppath:g') });
    const l = x.local ? model.vit.forward(x.local, { training: true, rng: rng.fork('droppath:l') }) : null;
    const cls = l ? tf.concat([g.cls, l.cls], 0) as tf.Tensor2D : g.cls;
    const masked = x.masks ? tf.gather(tf.reshape(g.patches, [2 * b * T, D]), x.maskedIndex) as tf.Tensor2D : null;
    const h: HeadLogits = headLogits(model.heads, cls, masked);
    const dino = dinoLoss(h.dinoLogits, x.dinoProbs, { nGlobal: 2, studentTemp: c.optim.studentTemp });
    const ibot = h.ibotLogits && x.ibotProbs ? ibotLoss(h.ibotLogits, x.ibotProbs, x.maskedWeights, 2 * b, c.optim.studentTemp) : tf.scalar(0);
    // dinov2: KoLeo on the backbone CLS of each global crop separately, summed
    const koleo = c.dino.koleoLossWeight > 0
      ? tf.add(koleoLoss(tf.slice(g.cls, [0, 0], [b, D])), koleoLoss(tf.slice(g.cls, [b, 0], [b, D]))) as tf.Scalar
      : tf.scalar(0);
    const total = tf.addN([tf.mul(dino, c.dino.lossWeight), tf.mul(ibot, c.ibot.lossWeight), tf.mul(koleo, c.dino.koleoLossWeight)]) as tf.Scalar;
    // entropy of softmax(z / τ_s) over the global crops' rows: log Σ e^z − Σ p·z
    const z = tf.div(tf.slice(h.dinoLogits, [0, 0], [2 * b, -1]), c.optim.studentTemp); // not part of `total`: no gradient
    const ent = tf.mean(tf.sub(tf.logSumExp(z, 1), tf.sum(tf.mul(tf.softmax(z), z), 1)));
    parts.push(tf.keep(dino), tf.keep(ibot), tf.keep(koleo), tf.keep(ent as tf.Scalar));
    return total;
  }, [...model.params.values()]);
  const byKey = new Map<string, tf.Tensor>();
  for (const [name, gr] of Object.entries(grads)) byKey.set(names.get(name) ?? name, gr);
  const [dino, ibot, koleo, studentEntropy] = parts.map((p) => p.dataSync()[0]);
  const total = value.dataSync()[0];
  tf.dispose([value, ...parts]);
  return { grads: byKey, dino, ibot, koleo, total, studentEntropy };
}
