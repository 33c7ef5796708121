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
 * A step is `stepGradients` (crops → teacher targets → student loss and gradients) + `applyGradients` (clipping, AdamW,
 * EMA) + `record`; the data-parallel driver (data-parallel.ts, `train.workers ≥ 2`) reuses the same pieces with the
 * student part sharded over worker threads, so this class stays the one source of the update and the schedules.
 *
 * @example
 * const run = new PretrainRun(config, images);
 * for (let s = 0; s < config.optim.steps; s++) console.log(run.trainStep());
 * saveCheckpoint(run, 'out');   // checkpoint.ts
 */
import * as tf from '@tensorflow/tfjs-core';
import { GreyImage } from '../data/types';
import { createRng, Rng } from '../engine/rng';
import { createViT } from '../models/registry';
import { ViT, copyWeights } from '../models/vit';
import { AdamW, clipByGlobalNorm } from '../engine/adamw';
import { ParamGroup, paramGroupFor } from './param-groups';
import { DinoCenter, sinkhornKnopp } from './center';
import { epochLength, PretrainConfig, scaledLr } from './config';
import { emaUpdate } from './ema';
import '../engine/gradients';
import { createHeads, disposeHeads, Heads } from './heads';
import { batchMasks } from './masking';
import { collateCrops, defaultMultiCrop, multiCrop, MultiCropOptions } from './multi-crop';
import { buildSchedules, PretrainSchedules } from './schedules';
import { defaultPhotometric } from './augment';
import { disposeInputs, studentBatch, StudentModel, studentLossAndGrads, studentModel } from './student-step';
import { TeacherLogits, teacherLogits } from './teacher-step';
import { meanPairwiseCosine, effectiveRank, meanRowEntropy, meanRowSd, StepHealth } from './health';

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
  /**
   * iBOT cross-entropy per masked crop: dinov2's iBOT loss divides by every global crop, masked or not, so with
   * `ibot.maskSampleProbability` p it is ≈ p × this; this one is comparable with log K (uniform student = log K).
   */
  ibot_ce: number;
  koleo_loss: number;
  total_loss: number;
  grad_norm: number;
  masked_patches: number;
  img_per_s: number;
  seconds: number;
  /** Collapse diagnostics (health.ts): teacher target / student entropy, logit row sd, CLS cosine and effective rank. */
  teacher_entropy: number;
  student_entropy: number;
  logit_row_sd: number;
  cls_cosine: number;
  cls_effective_rank: number;
}

/** Multi-crop options of a config (photometric defaults with the config's flip / solarize / noise settings). */
export function cropOptions(c: PretrainConfig, mean: number, std: number): MultiCropOptions {
  return {
    ...defaultMultiCrop,
    globalSize: c.crops.globalSize, localSize: c.crops.localSize, nLocal: c.crops.nLocal,
    globalScale: c.crops.globalScale, localScale: c.crops.localScale,
    photometric: {
      ...defaultPhotometric, hflipProb: c.crops.hflipProb, solarizeProb: c.crops.solarizeProb, noiseProb: c.crops.noiseProb,
      brightness: c.crops.jitter, contrast: c.crops.jitter, gammaProb: c.crops.gammaProb,
    },
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

/** The rng stream of step s of a run seeded `seed`: every random draw of the step forks from it. */
export function stepStream(seed: number, s: number): Rng {
  return createRng(seed).fork(`step:${s}`);
}

/** The schedule values of one step. */
export interface StepSettings {
  lr: number;
  lastLr: number;
  wd: number;
  momentum: number;
  teacherTemp: number;
}

export interface StepLosses {
  dino: number;
  ibot: number;
  koleo: number;
  total: number;
  /** Mean entropy of the student's DINO softmax over the global crops (a diagnostic, not a loss). */
  studentEntropy: number;
}

/** The teacher's half of a step's health figures (the student entropy comes with the losses). */
export type TeacherHealth = Omit<StepHealth, 'student_entropy'>;

/** A step's student gradients by parameter key (before clipping), its losses and its masked-patch count. */
export interface StepGradients {
  grads: Map<string, tf.Tensor>;
  losses: StepLosses;
  masked: number;
  health: TeacherHealth;
}

/** Teacher probabilities of a step: DINO [2B, K], iBOT [M, K] (null without masked patches). */
export interface TeacherTargets {
  dinoProbs: tf.Tensor2D;
  ibotProbs: tf.Tensor2D | null;
  health: TeacherHealth;
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
  /** Next step to run (= steps done). */
  step = 0;
  /** The student backbone + heads as one replica (what `studentLossAndGrads` trains). */
  readonly studentModel: StudentModel;
  /** The EMA teacher backbone + heads, same layout. */
  readonly teacherModel: StudentModel;
  private readonly crop: MultiCropOptions;
  /** AdamW group (weight-decay multiplier, lr schedule) of each student parameter. */
  private readonly groups: Map<string, ParamGroup>;

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
    this.studentHeads = createHeads(c, v.dim, init);
    this.teacherHeads = createHeads(c, v.dim, init); // same seeds → same init as the student (dinov2 loads the student's state into the teacher)
    this.studentModel = studentModel(this.student, this.studentHeads);
    this.teacherModel = studentModel(this.teacher, this.teacherHeads);
    const lastLayerNames = new Set([this.studentHeads.dino.lastLayerName, this.studentHeads.ibot?.lastLayerName].filter((x): x is string => !!x));
    this.groups = new Map([...this.studentParams.keys()].map((k) => [k, paramGroupFor(k, lastLayerNames.has(k) ? k : undefined)]));
    this.dinoCenter = new DinoCenter(c.head.prototypes, c.dino.centerMomentum);
    this.ibotCenter = new DinoCenter(c.head.prototypes, c.dino.centerMomentum);
    this.optimizer = new AdamW(this.studentParams, { beta1: c.optim.beta1, beta2: c.optim.beta2 });
    this.schedules = resolvedSchedules(c);
    this.crop = cropOptions(c, v.mean[0], v.std[0]);
  }

  /** Student parameters by key (backbone keys as dinov2's state dict; heads prefixed dino_head. / ibot_head.). */
  get studentParams(): Map<string, tf.Variable> {
    return this.studentModel.params;
  }

  /** The EMA teacher's parameters, same keys and order. */
  get teacherParams(): Map<string, tf.Variable> {
    return this.teacherModel.params;
  }

  /** The rng stream of step s (pure function of seed and step). */
  stepRng(s: number): Rng {
    return stepStream(this.config.seed, s);
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

  /** The schedule values of step s. */
  settings(s: number): StepSettings {
    const sch = this.schedules;
    return { lr: sch.lr.at(s), lastLr: sch.lastLayerLr.at(s), wd: sch.weightDecay.at(s), momentum: sch.momentum.at(s), teacherTemp: sch.teacherTemp.at(s) };
  }

  /** Runs one optimisation step; returns its log record. */
  trainStep(): StepRecord {
    const t0 = Date.now();
    const s = this.step;
    const g = this.stepGradients(s);
    const gradNorm = this.applyGradients(g.grads, s);
    tf.dispose([...g.grads.values()]);
    return this.record(s, g.losses, g.health, gradNorm, g.masked, (Date.now() - t0) / 1000);
  }

  /**
   * Full-batch loss and student gradients of step s, before clipping (runs the teacher, so under 'centering' the EMA
   * centres advance). The gradients are new tensors owned by the caller.
   */
  stepGradients(s: number): StepGradients {
    const c = this.config;
    const T = (c.crops.globalSize / this.student.config.patchSize) ** 2;
    const x = studentBatch(c, T, this.prepareBatch(s));
    const { health, ...targets } = this.teacherTargets(x.global, x.masks ? x.maskedIndex : null, s);
    const inputs = { ...x, ...targets };
    const r = studentLossAndGrads(this.studentModel, inputs, c, this.stepRng(s));
    disposeInputs(inputs);
    return { grads: r.grads, losses: { dino: r.dino, ibot: r.ibot, koleo: r.koleo, total: r.total, studentEntropy: r.studentEntropy }, masked: x.maskedIndex.size, health };
  }

  /** iBOT loss → mean cross-entropy over the masked global crops (`batchMasks` masks ⌊2B·p⌋ of the 2B crops). */
  private ibotCe(loss: number): number {
    const n = 2 * this.config.optim.batchSize;
    const masked = Math.floor(n * this.config.ibot.maskSampleProbability);
    return masked > 0 ? (loss * n) / masked : 0;
  }

  /** The log record of step s (advances `step`). */
  record(s: number, losses: StepLosses, health: TeacherHealth, gradNorm: number, masked: number, seconds: number): StepRecord {
    const { lr, lastLr, wd, momentum, teacherTemp } = this.settings(s);
    this.step = s + 1;
    return {
      step: s, lr, last_layer_lr: lastLr, wd, momentum, teacher_temp: teacherTemp,
      dino_loss: losses.dino, ibot_loss: losses.ibot, ibot_ce: this.ibotCe(losses.ibot), koleo_loss: losses.koleo, total_loss: losses.total, grad_norm: gradNorm,
      masked_patches: masked, img_per_s: this.config.optim.batchSize / seconds, seconds,
      ...health, student_entropy: losses.studentEntropy,
    };
  }

  /**
   * Teacher targets of step s for the whole batch: teacher forward of the global crops (no gradient), DINO head on CLS,
   * iBOT head on the masked patches (`maskedIndex`, flat in [2B·T]; null = no iBOT), then `targets`. Returns new tensors.
   */
  teacherTargets(gT: tf.Tensor4D, maskedIndex: tf.Tensor1D | null, s: number): TeacherTargets {
    return this.targets(teacherLogits(this.teacherModel, gT, maskedIndex), s);
  }

  /**
   * Teacher probabilities from the whole batch's teacher logits and CLS tokens (disposed here): centred softmax or
   * Sinkhorn-Knopp over the whole batch (dinov2 all-reduces both across ranks); the EMA centres are updated after use
   * (dinov2 order). Also the teacher's health figures of the step (health.ts).
   */
  targets(logits: TeacherLogits, s: number): TeacherTargets {
    const { dinoLogits, ibotLogits, cls } = logits;
    const temp = this.settings(s).teacherTemp;
    const sk = this.config.dino.centering === 'sinkhorn_knopp';
    const dinoProbs = sk ? sinkhornKnopp(dinoLogits, temp) : this.dinoCenter.softmaxCentered(dinoLogits, temp);
    const ibotProbs = ibotLogits ? (sk ? sinkhornKnopp(ibotLogits, temp) : this.ibotCenter.softmaxCentered(ibotLogits, temp)) : null;
    if (!sk) {
      this.dinoCenter.update(dinoLogits);
      if (ibotLogits) this.ibotCenter.update(ibotLogits);
    }
    const [n, K] = dinoLogits.shape;
    const logitValues = dinoLogits.dataSync();
    const clsValues = cls.dataSync();
    const health: TeacherHealth = {
      teacher_entropy: meanRowEntropy(dinoProbs.dataSync(), n, K),
      logit_row_sd: meanRowSd(logitValues, n, K),
      cls_cosine: meanPairwiseCosine(clsValues, n, cls.shape[1]),
      cls_effective_rank: effectiveRank(clsValues, n, cls.shape[1]),
    };
    dinoLogits.dispose();
    ibotLogits?.dispose();
    cls.dispose();
    return { dinoProbs, ibotProbs, health };
  }

  /**
   * The update of step s from the (full-batch) student gradients: dinov2 clips each student module (backbone, dino_head,
   * ibot_head) to clip_grad separately, then AdamW with the step's lr / last-layer lr / weight decay, then the EMA teacher.
   * Returns the gradient norm before clipping (all modules together). Does not dispose `grads`.
   */
  applyGradients(grads: Map<string, tf.Tensor>, s: number): number {
    const c = this.config;
    const { lr, lastLr, wd, momentum } = this.settings(s);
    const modules = new Map<string, Map<string, tf.Tensor>>();
    for (const [k, gr] of grads) {
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
    this.optimizer.apply(clipped, (k) => (this.groups.get(k)!.lrGroup === 'lastLayer' ? lastLr : lr), (k) => wd * this.groups.get(k)!.wdMult);
    emaUpdate(this.teacherParams, this.studentParams, momentum);
    tf.dispose([...clipped.values()]);
    return Math.sqrt(normSq);
  }

  dispose(): void {
    this.student.dispose();
    this.teacher.dispose();
    disposeHeads(this.studentHeads);
    disposeHeads(this.teacherHeads);
    this.dinoCenter.dispose();
    this.ibotCenter.dispose();
    this.optimizer.dispose();
  }
}
