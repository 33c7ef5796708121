/**
 * One label-supervised pretraining run of a ViT (the analogue of the paper's supervised competitors, ARK6 / UniChest):
 * backbone + linear head on CLS (‖ mean patch) trained with masked multi-label BCE, AdamW (decoupled decay, none on
 * biases / norms / tokens as dinov2's parameter groups), linear warm-up then cosine learning rate (dinov2
 * CosineScheduler), global-norm gradient clipping, seeded drop-path and light augmentation.
 *
 * Determinism: every random draw of step s is taken from `createRng(seed).fork('step:s')` (one child per image, one for
 * drop-path) and the batch order from a per-epoch seeded permutation, so a run is a pure function of (config, data,
 * step) and resuming needs only the step and the saved tensors (supervised-checkpoint.ts).
 *
 * @example
 * const run = new SupervisedRun(config, train, val);
 * for (let s = 0; s < config.optim.steps; s++) console.log(run.trainStep());
 * console.log(run.evaluate().macroAuroc);
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRng, Rng } from '../engine/rng';
import { createViT } from '../models/registry';
import { ViT } from '../models/vit';
import { AdamW, clipByGlobalNorm } from '../engine/adamw';
import { paramGroupFor } from '../pretrain/param-groups';
import '../engine/gradients';
import { CosineSchedule } from '../pretrain/schedules';
import { macroAuroc } from '../stats/macro';
import { SupervisedConfig, warmupSteps } from './config';
import { LabelledImages, prevalence } from './labelled-images';
import { evalBatch, lightAugment, LightAugmentOptions } from './light-augment';
import { LinearHead, pooledDim, poolFeatures } from './linear-head';
import { maskedBce, splitKnown } from '../engine/masked-bce';

/** One JSONL log line (val_* only on evaluation steps). */
export interface SupervisedStepRecord {
  step: number;
  lr: number;
  wd: number;
  loss: number;
  grad_norm: number;
  img_per_s: number;
  seconds: number;
  val_loss?: number;
  val_macro_auroc?: number;
  /** Classes with both labels among the known val labels (the others are skipped by the macro). */
  val_classes_scored?: number;
}

export interface Evaluation {
  loss: number;
  macroAuroc: number;
  perClass: number[];
  skipped: number[];
}

export class SupervisedRun {
  readonly vit: ViT;
  readonly head: LinearHead;
  /** Every trained parameter by name: backbone keys (dinov2 state-dict names) and `head.weight` / `head.bias`. */
  readonly params = new Map<string, tf.Variable>();
  readonly optimizer: AdamW;
  readonly lr: CosineSchedule;
  /** Next step to run (= steps done). */
  step = 0;
  private readonly aug: LightAugmentOptions;
  private readonly numClasses: number;
  private valInput: Float32Array | null = null;

  constructor(readonly config: SupervisedConfig, readonly train: LabelledImages, readonly val?: LabelledImages) {
    const c = config;
    if (train.images.length < c.optim.batchSize) throw new Error(`supervised: ${train.images.length} training images for a batch of ${c.optim.batchSize}`);
    if (val && val.labelNames.join('|') !== train.labelNames.join('|')) throw new Error('supervised: train and val label columns differ');
    this.numClasses = train.labelNames.length;
    const init = createRng(c.seed).fork('init');
    this.vit = createViT(c.model.arch, { ...c.model.overrides, dropPathRate: c.model.dropPathRate }, init.fork('backbone').int(2 ** 31));
    const v = this.vit.config;
    if (v.inChans !== 1) throw new Error(`supervised: ${c.model.arch} takes ${v.inChans} channels; the baseline trains grey (1-channel) models`);
    if (c.augment.inputSize % v.patchSize) throw new Error(`supervised: inputSize ${c.augment.inputSize} is not a multiple of the patch size ${v.patchSize}`);
    this.head = new LinearHead(pooledDim(v.dim, c.head.pool), this.numClasses, init.fork('head'), prevalence(train));
    for (const [k, p] of this.vit.params) this.params.set(k, p);
    for (const [k, p] of this.head.params) this.params.set(k, p);
    this.optimizer = new AdamW(this.params, { beta1: c.optim.beta1, beta2: c.optim.beta2 });
    this.lr = new CosineSchedule({ base: c.optim.lr, final: c.optim.minLr, total: c.optim.steps, warmup: warmupSteps(c) });
    this.aug = {
      size: c.augment.inputSize, scale: c.augment.cropScale, ratio: c.augment.cropRatio,
      brightness: c.augment.brightness, contrast: c.augment.contrast, jitterProb: c.augment.jitterProb,
      mean: v.mean[0], std: v.std[0],
    };
  }

  /** The rng stream of step s (pure function of seed and step). */
  stepRng(s: number): Rng {
    return createRng(this.config.seed).fork(`step:${s}`);
  }

  /** Image indices of step s: consecutive slices of a per-epoch seeded permutation (drop_last). */
  batchIndices(s: number): number[] {
    const b = this.config.optim.batchSize;
    const per = Math.floor(this.train.images.length / b);
    const perm = createRng(this.config.seed).fork(`epoch:${Math.floor(s / per)}`).permutation(this.train.images.length);
    const start = (s % per) * b;
    return Array.from(perm.subarray(start, start + b));
  }

  /** Augmented NCHW inputs [B, 1, S, S] and their label rows [B, C] (NaN = unknown). */
  prepareBatch(s: number): { x: Float32Array; labels: Float32Array } {
    const rng = this.stepRng(s);
    const idx = this.batchIndices(s);
    const S = this.aug.size, C = this.numClasses;
    const x = new Float32Array(idx.length * S * S);
    const labels = new Float32Array(idx.length * C);
    idx.forEach((i, j) => {
      x.set(lightAugment(this.train.images[i], this.aug, rng.fork(`img:${j}`)), j * S * S);
      labels.set(this.train.labels.subarray(i * C, (i + 1) * C), j * C);
    });
    return { x, labels };
  }

  /** Runs one optimisation step; returns its log record. */
  trainStep(): SupervisedStepRecord {
    const t0 = Date.now();
    const c = this.config;
    const s = this.step;
    const lr = this.lr.at(s), wd = c.optim.weightDecay;
    const { x, labels } = this.prepareBatch(s);
    const B = labels.length / this.numClasses, S = this.aug.size;
    const { targets, mask } = splitKnown(labels);
    const xT = tf.tensor4d(x, [B, 1, S, S]);
    const yT = tf.tensor2d(targets, [B, this.numClasses]);
    const mT = tf.tensor2d(mask, [B, this.numClasses]);
    const names = new Map<string, string>();
    for (const [k, p] of this.params) names.set(p.name, k);
    const rng = this.stepRng(s).fork('droppath');
    const { value, grads } = tf.variableGrads(() => {
      const out = this.vit.forward(xT, { training: true, rng });
      const logits = this.head.apply(poolFeatures(out.cls, out.patches, c.head.pool));
      return maskedBce(logits, yT, mT);
    }, [...this.params.values()]);
    const byKey = new Map<string, tf.Tensor>();
    for (const [name, g] of Object.entries(grads)) byKey.set(names.get(name) ?? name, g);
    let norm = NaN;
    let update = byKey;
    if (c.optim.clipGrad !== null) {
      const r = clipByGlobalNorm(byKey, c.optim.clipGrad);
      norm = r.norm;
      update = r.grads;
    }
    const wdMult = new Map([...this.params.keys()].map((k) => [k, paramGroupFor(k).wdMult]));
    this.optimizer.apply(update, () => lr, (k) => wd * wdMult.get(k)!);
    const loss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads), xT, yT, mT]);
    if (update !== byKey) tf.dispose([...update.values()]);
    this.step += 1;
    const seconds = (Date.now() - t0) / 1000;
    return { step: s, lr, wd, loss, grad_norm: norm, img_per_s: B / seconds, seconds };
  }

  /** Head logits [N, C] for normalised NCHW inputs (no augmentation, no drop-path), in batches. */
  predict(x: Float32Array, n: number): Float32Array {
    const S = this.aug.size, C = this.numClasses;
    const bs = this.config.train.evalBatchSize;
    const out = new Float32Array(n * C);
    for (let i = 0; i < n; i += bs) {
      const m = Math.min(bs, n - i);
      const logits = tf.tidy(() => {
        const xT = tf.tensor4d(x.subarray(i * S * S, (i + m) * S * S), [m, 1, S, S]);
        const o = this.vit.forward(xT, { training: false });
        return this.head.apply(poolFeatures(o.cls, o.patches, this.config.head.pool));
      });
      out.set(logits.dataSync(), i * C);
      logits.dispose();
    }
    return out;
  }

  /** Masked BCE and macro AUROC (lib/stats, classes without both labels skipped) on the validation split. */
  evaluate(): Evaluation {
    const val = this.val;
    if (!val) throw new Error('supervised: no validation data to evaluate on');
    if (!this.valInput) this.valInput = evalBatch(val.images, this.aug.size, this.aug.mean, this.aug.std);
    const n = val.images.length, C = this.numClasses;
    const logits = this.predict(this.valInput, n);
    const { targets, mask } = splitKnown(val.labels);
    const lossT = tf.tidy(() => maskedBce(tf.tensor2d(logits, [n, C]), tf.tensor2d(targets, [n, C]), tf.tensor2d(mask, [n, C])));
    const loss = lossT.dataSync()[0];
    lossT.dispose();
    // column-major Y[c][i] / S[c][i] for lib/stats
    const Y = Array.from({ length: C }, (_, c) => Float64Array.from({ length: n }, (_, i) => val.labels[i * C + c]));
    const Sc = Array.from({ length: C }, (_, c) => Float64Array.from({ length: n }, (_, i) => logits[i * C + c]));
    const r = macroAuroc(Y, Sc, { layout: 'classes' });
    return { loss, macroAuroc: r.macro, perClass: r.perClass, skipped: r.skipped };
  }

  dispose(): void {
    this.vit.dispose();
    this.head.dispose();
    this.optimizer.dispose();
  }
}
