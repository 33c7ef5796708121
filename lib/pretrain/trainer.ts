/**
 * One DINOv2-style pretraining run (Oquab et al. 2023; dinov2 `train/ssl_meta_arch.py` forward_backward + train.py
 * do_train): student ViT + DINO head (+ iBOT head), EMA teacher, multi-crop, block masking, DINO + iBOT + KoLeo losses,
 * AdamW with per-step lr / wd / momentum / teacher-temperature schedules, per-module gradient clipping, prototype layer
 * frozen during the first epoch.
 *
 * Determinism: every random draw of step s (batch order aside, which comes from the epoch's permutation) is taken from
 * `createRng(seed).fork('step:s')` and its named children (one per image, one for masks, one for drop-path), so a run is
 * a pure function of (config, step) and resuming needs only the step — the saved `Rng.state()` of the step stream is kept
 * in the checkpoint as a check.
 *
 * @example
 * const run = new PretrainRun(config, images);
 * for (let s = 0; s < config.optim.steps; s++) console.log(run.trainStep());
 * run.save('out/checkpoint');
 */
import * as tf from '@tensorflow/tfjs-core';
import { GreyImage } from '../data/types';
import { createRng, Rng } from '../engine/rng';
import { createViT } from '../models/registry';
import { ViT, copyWeights } from '../models/vit';
import { AdamW, clipByGlobalNorm, paramGroupFor } from './adamw';
import { DinoCenter, sinkhornKnopp } from './center';
import { epochLength, PretrainConfig, scaledLr } from './config';
import { DinoHead } from './dino-head';
import { dinoLoss } from './dino-loss';
import { emaUpdate } from './ema';
import './gradients';
import { ibotLoss, maskedPatchIndex } from './ibot-loss';
import { koleoLoss } from './koleo-loss';
import { batchMasks } from './masking';
import { collateCrops, defaultMultiCrop, multiCrop, MultiCropOptions } from './multi-crop';
import { buildSchedules, PretrainSchedules } from './schedules';
import { defaultPhotometric } from './augment';

/** One JSONL log line. */
export interface StepRecord {
  step: number;
  lr: number;
  last_layer_lr: number;
  wd: number;
  momentum: number;
  teacher_temp: number;
  dino_loss: number;
  ibot_loss: number;
  koleo_loss: number;
  total_loss: number;
  grad_norm: number;
  masked_patches: number;
  img_per_s: number;
  seconds: number;
}

/** Multi-crop options of a config (photometric defaults with the config's flip / solarize / noise settings). */
export function cropOptions(c: PretrainConfig, mean: number, std: number): MultiCropOptions {
  return {
    ...defaultMultiCrop,
    globalSize: c.crops.globalSize, localSize: c.crops.localSize, nLocal: c.crops.nLocal,
    globalScale: c.crops.globalScale, localScale: c.crops.localScale,
    photometric: { ...defaultPhotometric, hflipProb: c.crops.hflipProb, solarizeProb: c.crops.solarizeProb, noiseProb: c.crops.noiseProb },
    mean, std,
  };
}

/** Step settings resolved from a config (null step counts → one epoch, teacher-temp warm-up → 30 % of the run). */
export function resolvedSchedules(c: PretrainConfig): PretrainSchedules {
  const epoch = epochLength(c);
  const total = c.optim.steps;
  return buildSchedules({
    totalSteps: total,
    warmupSteps: Math.min(c.optim.warmupSteps ?? epoch, total),
    freezeLastLayerSteps: Math.min(c.optim.freezeLastLayerSteps ?? epoch, total),
    lr: scaledLr(c), minLr: c.optim.minLr,
    weightDecay: c.optim.weightDecay, weightDecayEnd: c.optim.weightDecayEnd,
    momentumTeacher: c.teacher.momentumTeacher, finalMomentumTeacher: c.teacher.finalMomentumTeacher,
    warmupTeacherTemp: c.teacher.warmupTeacherTemp, teacherTemp: c.teacher.teacherTemp,
    warmupTeacherTempSteps: Math.min(c.teacher.warmupTeacherTempSteps ?? Math.round(0.3 * total), total),
  });
}

interface HeadLogits {
  dinoLogits: tf.Tensor2D;
  ibotLogits: tf.Tensor2D | null;
}

interface Heads {
  dino: DinoHead;
  ibot?: DinoHead;
}

export class PretrainRun {
  readonly student: ViT;
  readonly teacher: ViT;
  readonly studentHeads: Heads;
  readonly teacherHeads: Heads;
  readonly dinoCenter: DinoCenter;
  readonly ibotCenter: DinoCenter;
  readonly optimizer: AdamW;
  readonly schedules: PretrainSchedules;
  /** Student parameters by key (backbone keys as dinov2's state dict; heads prefixed dino_head. / ibot_head.). */
  readonly studentParams = new Map<string, tf.Variable>();
  readonly teacherParams = new Map<string, tf.Variable>();
  /** Next step to run (= steps done). */
  step = 0;
  private readonly crop: MultiCropOptions;
  private readonly lastLayerNames: Set<string>;

  constructor(readonly config: PretrainConfig, readonly images: GreyImage[]) {
    if (images.length < config.optim.batchSize) throw new Error(`pretrain: ${images.length} images for a batch of ${config.optim.batchSize}`);
    const c = config;
    const init = createRng(c.seed).fork('init');
    this.student = createViT(c.model.arch, { ...c.model.overrides, dropPathRate: c.model.dropPathRate }, init.fork('backbone').int(2 ** 31));
    this.teacher = createViT(c.model.arch, { ...c.model.overrides, dropPathRate: 0 }, 0);
    copyWeights(this.student, this.teacher);
    const v = this.student.config;
    if (c.crops.globalSize % v.patchSize || c.crops.localSize % v.patchSize) {
      throw new Error(`pretrain: crop sizes ${c.crops.globalSize}/${c.crops.localSize} must be multiples of the patch size ${v.patchSize}`);
    }
    const headCfg = { inDim: v.dim, hiddenDim: c.head.hiddenDim, bottleneckDim: c.head.bottleneckDim, outDim: c.head.prototypes };
    const mkHeads = (): Heads => ({
      dino: new DinoHead(headCfg, init.fork('dino_head'), 'dino_head'),
      ibot: c.head.ibotSeparateHead ? new DinoHead(headCfg, init.fork('ibot_head'), 'ibot_head') : undefined,
    });
    this.studentHeads = mkHeads();
    this.teacherHeads = mkHeads(); // same seeds → same init as the student (dinov2 loads the student's state into the teacher)
    for (const [k, p] of this.student.params) this.studentParams.set(k, p);
    for (const [k, p] of this.teacher.params) this.teacherParams.set(k, p);
    for (const h of [this.studentHeads.dino, this.studentHeads.ibot]) if (h) for (const [k, p] of h.params) this.studentParams.set(k, p);
    for (const h of [this.teacherHeads.dino, this.teacherHeads.ibot]) if (h) for (const [k, p] of h.params) this.teacherParams.set(k, p);
    this.lastLayerNames = new Set([this.studentHeads.dino.lastLayerName, this.studentHeads.ibot?.lastLayerName].filter((x): x is string => !!x));
    this.dinoCenter = new DinoCenter(c.head.prototypes, c.dino.centerMomentum);
    this.ibotCenter = new DinoCenter(c.head.prototypes, c.dino.centerMomentum);
    this.optimizer = new AdamW(this.studentParams, { beta1: c.optim.beta1, beta2: c.optim.beta2 });
    this.schedules = resolvedSchedules(c);
    this.crop = cropOptions(c, v.mean[0], v.std[0]);
  }

  /** The rng stream of step s (pure function of seed and step). */
  stepRng(s: number): Rng {
    return createRng(this.config.seed).fork(`step:${s}`);
  }

  /** Image indices of step s: consecutive slices of a per-epoch seeded permutation (drop_last). */
  batchIndices(s: number): number[] {
    const b = this.config.optim.batchSize;
    const per = Math.floor(this.images.length / b);
    const epoch = Math.floor(s / per);
    const perm = createRng(this.config.seed).fork(`epoch:${epoch}`).permutation(this.images.length);
    const start = (s % per) * b;
    return Array.from(perm.subarray(start, start + b));
  }

  /** Builds the crops and masks of step s: NCHW global [2B,1,G,G] and local [nL·B,1,L,L] buffers, masks [2B·T]. */
  prepareBatch(s: number): { global: Float32Array; local: Float32Array; masks: Uint8Array } {
    const rng = this.stepRng(s);
    const idx = this.batchIndices(s);
    const crops = idx.map((i, j) => multiCrop(this.images[i], this.crop, rng.fork(`img:${j}`)));
    const { global, local } = collateCrops(crops, 1, this.crop.globalSize, this.crop.localSize);
    const g = this.crop.globalSize / this.student.config.patchSize;
    const masks = this.config.ibot.lossWeight > 0
      ? batchMasks(2 * idx.length, { gridH: g, gridW: g, ratio: this.config.ibot.maskRatio, probability: this.config.ibot.maskSampleProbability }, rng.fork('masks'))
      : new Uint8Array(2 * idx.length * g * g);
    return { global, local, masks };
  }

  /** Runs one optimisation step; returns its log record. */
  trainStep(): StepRecord {
    const t0 = Date.now();
    const c = this.config;
    const s = this.step;
    const sch = this.schedules;
    const lr = sch.lr.at(s), lastLr = sch.lastLayerLr.at(s), wd = sch.weightDecay.at(s);
    const momentum = sch.momentum.at(s), teacherTemp = sch.teacherTemp.at(s);
    const B = c.optim.batchSize, nL = c.crops.nLocal, G = c.crops.globalSize, L = c.crops.localSize;
    const T = (G / this.student.config.patchSize) ** 2;
    const D = this.student.config.dim;
    const batch = this.prepareBatch(s);
    const { indices, weights } = maskedPatchIndex(batch.masks, 2 * B, T);
    const M = indices.length;
    const useIbot = c.ibot.lossWeight > 0 && M > 0;
    const rng = this.stepRng(s);

    const gT = tf.tensor4d(batch.global, [2 * B, 1, G, G]);
    const lT = nL > 0 ? tf.tensor4d(batch.local, [nL * B, 1, L, L]) : null;
    const maskT = tf.tensor2d(Float32Array.from(batch.masks), [2 * B, T]);
    const idxT = tf.tensor1d(indices, 'int32');
    const wT = tf.tensor1d(weights);

    // ---- teacher (no gradient): CLS → DINO head, masked patches → iBOT head; centred (or Sinkhorn-Knopp) targets ----
    const { dinoLogits, ibotLogits } = this.teacherTargets(gT, useIbot ? idxT : null, 2 * B * T, D);
    const dinoProbs = c.dino.centering === 'sinkhorn_knopp' ? sinkhornKnopp(dinoLogits, teacherTemp) : this.dinoCenter.softmaxCentered(dinoLogits, teacherTemp);
    const ibotProbs = ibotLogits
      ? (c.dino.centering === 'sinkhorn_knopp' ? sinkhornKnopp(ibotLogits, teacherTemp) : this.ibotCenter.softmaxCentered(ibotLogits, teacherTemp))
      : null;
    if (c.dino.centering === 'centering') {
      this.dinoCenter.update(dinoLogits);
      if (ibotLogits) this.ibotCenter.update(ibotLogits);
    }

    // ---- student: loss and gradients ----
    const parts: tf.Scalar[] = [];
    const names = new Map<string, string>();
    for (const [k, p] of this.studentParams) names.set(p.name, k);
    const { value, grads } = tf.variableGrads(() => {
      const g = this.student.forward(gT, { training: true, masks: useIbot ? maskT : undefined, rng: rng.fork('droppath:g') });
      const l = lT ? this.student.forward(lT, { training: true, rng: rng.fork('droppath:l') }) : null;
      const cls = l ? tf.concat([g.cls, l.cls], 0) as tf.Tensor2D : g.cls;
      const masked = useIbot ? tf.gather(tf.reshape(g.patches, [2 * B * T, D]), idxT) as tf.Tensor2D : null;
      const h = this.heads(this.studentHeads, cls, masked);
      const dino = dinoLoss(h.dinoLogits, dinoProbs, { nGlobal: 2, studentTemp: c.optim.studentTemp });
      const ibot = h.ibotLogits && ibotProbs ? ibotLoss(h.ibotLogits, ibotProbs, wT, 2 * B, c.optim.studentTemp) : tf.scalar(0);
      // dinov2: KoLeo on the backbone CLS of each global crop separately, summed
      const koleo = c.dino.koleoLossWeight > 0
        ? tf.add(koleoLoss(tf.slice(g.cls, [0, 0], [B, D])), koleoLoss(tf.slice(g.cls, [B, 0], [B, D]))) as tf.Scalar
        : tf.scalar(0);
      const total = tf.addN([tf.mul(dino, c.dino.lossWeight), tf.mul(ibot, c.ibot.lossWeight), tf.mul(koleo, c.dino.koleoLossWeight)]) as tf.Scalar;
      parts.push(tf.keep(dino), tf.keep(ibot), tf.keep(koleo));
      return total;
    }, [...this.studentParams.values()]);

    const byKey = new Map<string, tf.Tensor>();
    for (const [name, gr] of Object.entries(grads)) byKey.set(names.get(name) ?? name, gr);
    // dinov2 clips each student module (backbone, dino_head, ibot_head) to clip_grad separately
    const modules = new Map<string, Map<string, tf.Tensor>>();
    for (const [k, gr] of byKey) {
      const mod = k.startsWith('dino_head.') ? 'dino_head' : k.startsWith('ibot_head.') ? 'ibot_head' : 'backbone';
      if (!modules.has(mod)) modules.set(mod, new Map());
      modules.get(mod)!.set(k, gr);
    }
    const clipped = new Map<string, tf.Tensor>();
    let normSq = 0;
    for (const m of modules.values()) {
      const r = clipByGlobalNorm(m, c.optim.clipGrad);
      normSq += r.norm ** 2;
      for (const [k, gr] of r.grads) clipped.set(k, gr);
    }
    const groups = new Map([...this.studentParams.keys()].map((k) => [k, paramGroupFor(k, this.lastLayerNames.has(k) ? k : undefined)]));
    this.optimizer.apply(clipped, (k) => (groups.get(k)!.lrGroup === 'lastLayer' ? lastLr : lr), (k) => wd * groups.get(k)!.wdMult);
    emaUpdate(this.teacherParams, this.studentParams, momentum);

    const [dinoV, ibotV, koleoV] = parts.map((p) => p.dataSync()[0]);
    const total = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads), ...clipped.values(), ...parts, gT, maskT, idxT, wT, dinoLogits, dinoProbs]);
    for (const t of [lT, ibotLogits, ibotProbs]) t?.dispose();
    this.step += 1;
    const seconds = (Date.now() - t0) / 1000;
    return {
      step: s, lr, last_layer_lr: lastLr, wd, momentum, teacher_temp: teacherTemp,
      dino_loss: dinoV, ibot_loss: ibotV, koleo_loss: koleoV, total_loss: total, grad_norm: Math.sqrt(normSq),
      masked_patches: M, img_per_s: B / seconds, seconds,
    };
  }

  /** Teacher head logits for the global crops (no gradient is taken through them). */
  private teacherTargets(gT: tf.Tensor4D, idxT: tf.Tensor1D | null, rows: number, D: number): HeadLogits {
    const out = this.teacher.forward(gT, { training: false });
    const masked = idxT ? tf.tidy(() => tf.gather(tf.reshape(out.patches, [rows, D]), idxT) as tf.Tensor2D) : null;
    const r = this.heads(this.teacherHeads, out.cls, masked);
    out.cls.dispose(); out.patches.dispose(); masked?.dispose();
    return r;
  }

  /** Head outputs: DINO logits of the CLS rows, iBOT logits of the masked patch rows (shared head: one pass). */
  private heads(h: Heads, cls: tf.Tensor2D, masked: tf.Tensor2D | null): HeadLogits {
    if (!masked) return { dinoLogits: h.dino.apply(cls), ibotLogits: null };
    if (h.ibot) return { dinoLogits: h.dino.apply(cls), ibotLogits: h.ibot.apply(masked) };
    const n = cls.shape[0];
    const [dinoLogits, ibotLogits] = tf.tidy(() => {
      const both = h.dino.apply(tf.concat([cls, masked], 0) as tf.Tensor2D);
      return [tf.slice(both, [0, 0], [n, -1]) as tf.Tensor2D, tf.slice(both, [n, 0], [masked.shape[0], -1]) as tf.Tensor2D];
    });
    return { dinoLogits, ibotLogits };
  }

  dispose(): void {
    this.student.dispose();
    this.teacher.dispose();
    for (const h of [this.studentHeads.dino, this.studentHeads.ibot, this.teacherHeads.dino, this.teacherHeads.ibot]) h?.dispose();
    this.dinoCenter.dispose();
    this.ibotCenter.dispose();
    this.optimizer.dispose();
  }
}
