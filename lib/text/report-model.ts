/**
 * Report generation at CPU size, with the structure of the paper's (Methods, "Report generation"): a trainable
 * two-layer Transformer ADAPTER maps the frozen encoder's patch tokens to M prefix tokens of the language model's
 * width; a small causal Transformer LANGUAGE MODEL over a word vocabulary built from the corpus is first trained on
 * report text alone (our "pretrained LLM"), then fine-tuned with the image prefix and the indication prompt, the
 * captioning loss on the findings tokens (and <eos>) only. Greedy decoding, or beam search (`generate(…, { beam })`,
 * lib/text/beam.ts: sum of log-probabilities, no length normalisation; width 1 is greedy).
 *
 * Sequence layout: [prefix × M] <bos> indication <sep> findings <eos>; text-only pretraining drops the prefix and puts
 * the loss on every next token. Over-long text policy: the indication keeps its first `maxIndication` tokens and the
 * findings their first `maxText − maxIndication − 3` (then <eos>); `truncated` counts how many samples were cut.
 *
 * All tensors live inside tf.tidy / are disposed per step; every random draw (init, batches) comes from `seed`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AdamW } from '../engine/adamw';
import { ownedVariable } from '../engine/gradients';
import { createRng, Rng } from '../engine/rng';
import { bmm } from '../models/ops/bmm';
import { gelu } from '../models/ops/gelu';
import { layerNorm } from '../models/ops/layer-norm';
import { linear } from '../models/ops/linear';
import { beamSearch } from './beam';
import { BOS, EOS, PAD, SEP, WordVocab } from './vocab';

export interface ReportModelConfig {
  dModel: number;
  heads: number;
  lmLayers: number;
  adapterLayers: number;
  /** M: prefix tokens the adapter writes. */
  prefixTokens: number;
  mlpRatio: number;
  maxText: number;
  maxIndication: number;
  seed: number;
}

export const DEFAULT_REPORT_MODEL: ReportModelConfig = {
  dModel: 64, heads: 4, lmLayers: 2, adapterLayers: 2, prefixTokens: 8, mlpRatio: 2, maxText: 80, maxIndication: 12, seed: 0,
};

export interface TextSample { indication: string; findings: string }

/** Frozen patch tokens [N, T, D], rows aligned with the samples. */
export interface PatchFeatures { patches: Float32Array; n: number; tokens: number; dim: number }

interface Encoded { ids: number[]; lossFrom: number }

type Params = Map<string, tf.Variable>;

/** tfjs variable names are global: a counter keeps two models (same seed) apart. */
let nextId = 0;

function initParam(rng: Rng, shape: number[], std: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = std * rng.normal();
  return tf.tensor(a, shape);
}

export class ReportModel {
  readonly params: Params = new Map();
  readonly cfg: ReportModelConfig;
  imageDim = 0;
  truncated = 0;
  unknownTokens = 0;

  constructor(readonly vocab: WordVocab, cfg: Partial<ReportModelConfig> = {}) {
    this.cfg = { ...DEFAULT_REPORT_MODEL, ...cfg };
    const c = this.cfg;
    if (c.dModel % c.heads) throw new Error(`ReportModel: dModel ${c.dModel} is not divisible by heads ${c.heads}`);
    const rng = createRng(c.seed).fork('report-model');
    const d = c.dModel;
    this.add(rng, 'lm.tok', [vocab.size, d], 0.02);
    this.add(rng, 'lm.pos', [c.maxText, d], 0.02);
    for (let l = 0; l < c.lmLayers; l++) this.addBlock(rng, `lm.${l}`);
    this.addNorm('lm.norm');
  }

  private add(rng: Rng, name: string, shape: number[], std: number): void {
    this.params.set(name, ownedVariable(initParam(rng.fork(name), shape, std), true, `report.${name}.${nextId++}`));
  }
  private addConst(name: string, t: tf.Tensor): void {
    this.params.set(name, ownedVariable(t, true, `report.${name}.${nextId++}`));
  }
  private addNorm(name: string): void {
    this.addConst(`${name}.g`, tf.ones([this.cfg.dModel]));
    this.addConst(`${name}.b`, tf.zeros([this.cfg.dModel]));
  }
  private addLinear(rng: Rng, name: string, i: number, o: number): void {
    this.add(rng, `${name}.w`, [i, o], 0.02);
    this.addConst(`${name}.b`, tf.zeros([o]));
  }
  private addBlock(rng: Rng, name: string): void {
    const d = this.cfg.dModel, h = d * this.cfg.mlpRatio;
    this.addNorm(`${name}.ln1`);
    this.addLinear(rng, `${name}.qkv`, d, 3 * d);
    this.addLinear(rng, `${name}.proj`, d, d);
    this.addNorm(`${name}.ln2`);
    this.addLinear(rng, `${name}.fc1`, d, h);
    this.addLinear(rng, `${name}.fc2`, h, d);
  }

  /** Adds the adapter for patch tokens of width `dim` (idempotent for the same width). */
  attachAdapter(dim: number, tokens: number): void {
    if (this.imageDim === dim && this.params.has('ad.in.w')) return;
    if (this.imageDim) throw new Error(`ReportModel: adapter already built for width ${this.imageDim}, got ${dim}`);
    this.imageDim = dim;
    const rng = createRng(this.cfg.seed).fork('adapter');
    const d = this.cfg.dModel;
    this.addConst('ad.inNorm.g', tf.ones([dim]));
    this.addConst('ad.inNorm.b', tf.zeros([dim]));
    this.addLinear(rng, 'ad.in', dim, d);
    this.add(rng, 'ad.pos', [tokens, d], 0.02);
    this.add(rng, 'ad.query', [this.cfg.prefixTokens, d], 0.02);
    for (let l = 0; l < this.cfg.adapterLayers; l++) this.addBlock(rng, `ad.${l}`);
    this.addNorm('ad.norm');
  }

  private p(name: string): tf.Tensor {
    const v = this.params.get(name);
    if (!v) throw new Error(`ReportModel: no parameter ${name}`);
    return v;
  }

  /** Pre-norm Transformer block on x [B·L, d]; `causal` masks attention to earlier positions. */
  private block(name: string, x: tf.Tensor2D, B: number, L: number, causal: boolean): tf.Tensor2D {
    const d = this.cfg.dModel, H = this.cfg.heads, dh = d / H;
    const h = layerNorm(x, this.p(`${name}.ln1.g`) as tf.Tensor1D, this.p(`${name}.ln1.b`) as tf.Tensor1D, 1e-5);
    const qkv = linear(h, this.p(`${name}.qkv.w`) as tf.Tensor2D, this.p(`${name}.qkv.b`) as tf.Tensor1D);
    // [B, L, 3, H, dh] → three [B·H, L, dh]
    const r = tf.transpose(tf.reshape(qkv, [B, L, 3, H, dh]), [2, 0, 3, 1, 4]);
    const part = (i: number) => tf.reshape(tf.slice(r, [i, 0, 0, 0, 0], [1, B, H, L, dh]), [B * H, L, dh]) as tf.Tensor3D;
    const q = tf.mul(part(0), 1 / Math.sqrt(dh)) as tf.Tensor3D;
    const k = part(1), v = part(2);
    let scores: tf.Tensor = bmm(q, tf.transpose(k, [0, 2, 1]) as tf.Tensor3D);
    if (causal) scores = tf.add(scores, causalMask(L));
    const att = tf.softmax(scores) as tf.Tensor3D;
    const o = tf.reshape(tf.transpose(tf.reshape(bmm(att, v), [B, H, L, dh]), [0, 2, 1, 3]), [B * L, d]) as tf.Tensor2D;
    const x1 = tf.add(x, linear(o, this.p(`${name}.proj.w`) as tf.Tensor2D, this.p(`${name}.proj.b`) as tf.Tensor1D)) as tf.Tensor2D;
    const h2 = layerNorm(x1, this.p(`${name}.ln2.g`) as tf.Tensor1D, this.p(`${name}.ln2.b`) as tf.Tensor1D, 1e-5);
    const m = linear(gelu(linear(h2, this.p(`${name}.fc1.w`) as tf.Tensor2D, this.p(`${name}.fc1.b`) as tf.Tensor1D)),
      this.p(`${name}.fc2.w`) as tf.Tensor2D, this.p(`${name}.fc2.b`) as tf.Tensor1D);
    return tf.add(x1, m) as tf.Tensor2D;
  }

  /** Adapter: patches [B, T, D] → prefix [B, M, d] (queries and patch tokens through the blocks; the queries' outputs). */
  prefix(patches: tf.Tensor3D): tf.Tensor3D {
    const [B, T, D] = patches.shape;
    const d = this.cfg.dModel, M = this.cfg.prefixTokens;
    const xn = layerNorm(tf.reshape(patches, [B * T, D]) as tf.Tensor2D, this.p('ad.inNorm.g') as tf.Tensor1D, this.p('ad.inNorm.b') as tf.Tensor1D, 1e-6);
    const x = tf.add(tf.reshape(linear(xn, this.p('ad.in.w') as tf.Tensor2D, this.p('ad.in.b') as tf.Tensor1D), [B, T, d]), this.p('ad.pos'));
    const q = tf.broadcastTo(tf.reshape(this.p('ad.query'), [1, M, d]), [B, M, d]);
    let h = tf.reshape(tf.concat([q, x], 1), [B * (M + T), d]) as tf.Tensor2D;
    for (let l = 0; l < this.cfg.adapterLayers; l++) h = this.block(`ad.${l}`, h, B, M + T, false);
    h = layerNorm(h, this.p('ad.norm.g') as tf.Tensor1D, this.p('ad.norm.b') as tf.Tensor1D, 1e-5);
    return tf.slice(tf.reshape(h, [B, M + T, d]), [0, 0, 0], [B, M, d]) as tf.Tensor3D;
  }

  /** Logits [B, L, V] at the text positions; `prefix` [B, M, d] (or null) goes before the text tokens. */
  logits(ids: tf.Tensor2D, prefix: tf.Tensor3D | null, lastOnly = false): tf.Tensor {
    const [B, L] = ids.shape;
    const d = this.cfg.dModel;
    if (L > this.cfg.maxText) throw new Error(`ReportModel: sequence of ${L} tokens exceeds maxText ${this.cfg.maxText}`);
    const tok = tf.reshape(tf.gather(this.p('lm.tok'), tf.reshape(ids, [-1])), [B, L, d]);
    let x = tf.add(tok, tf.slice(this.p('lm.pos'), [0, 0], [L, d])) as tf.Tensor3D;
    const M = prefix ? prefix.shape[1] : 0;
    if (prefix) x = tf.concat([prefix, x], 1);
    let h = tf.reshape(x, [B * (M + L), d]) as tf.Tensor2D;
    for (let l = 0; l < this.cfg.lmLayers; l++) h = this.block(`lm.${l}`, h, B, M + L, true);
    h = layerNorm(h, this.p('lm.norm.g') as tf.Tensor1D, this.p('lm.norm.b') as tf.Tensor1D, 1e-5);
    const h3 = tf.reshape(h, [B, M + L, d]);
    const text = lastOnly ? tf.slice(h3, [0, M + L - 1, 0], [B, 1, d]) : tf.slice(h3, [0, M, 0], [B, L, d]);
    const Lo = lastOnly ? 1 : L;
    // tied output embedding (the transpose taken explicitly: see lib/models/ops/linear.ts on the fast matmul path)
    const out = tf.matMul(tf.reshape(text, [B * Lo, d]) as tf.Tensor2D, tf.transpose(this.p('lm.tok')) as tf.Tensor2D);
    return tf.reshape(out, [B, Lo, this.vocab.size]);
  }

  /** Token ids of one sample with the index where the loss starts (1 = every next token; after <sep> for captioning). */
  encodeSample(s: TextSample, captioning: boolean, id = 'sample'): Encoded {
    const c = this.cfg;
    if (!s.findings || !s.findings.trim()) throw new Error(`ReportModel: ${id} has no findings text`);
    let ind = s.indication && s.indication.trim() ? this.vocab.encode(s.indication, `${id} indication`) : { ids: [], unknown: 0 };
    const fin = this.vocab.encode(s.findings, `${id} findings`);
    this.unknownTokens += ind.unknown + fin.unknown;
    let indIds = ind.ids, finIds = fin.ids;
    const budget = c.maxText - Math.min(indIds.length, c.maxIndication) - 3;
    if (indIds.length > c.maxIndication || finIds.length > budget) this.truncated++;
    indIds = indIds.slice(0, c.maxIndication);
    finIds = finIds.slice(0, budget);
    const ids = [BOS, ...indIds, SEP, ...finIds, EOS];
    return { ids, lossFrom: captioning ? indIds.length + 2 : 1 };
  }

  /** Per-position negative log-likelihood [B·L] and its loss weights (1 on the loss positions) for a batch. */
  private batchNll(batch: Encoded[], prefix: tf.Tensor3D | null): { nll: tf.Tensor1D; w: Float32Array; L: number } {
    const B = batch.length;
    const L = Math.max(...batch.map((e) => e.ids.length)) - 1;
    const inp = new Int32Array(B * L), tgt = new Int32Array(B * L), w = new Float32Array(B * L);
    batch.forEach((e, b) => {
      for (let t = 0; t < L; t++) {
        inp[b * L + t] = t < e.ids.length - 1 ? e.ids[t] : PAD;
        const y = t + 1 < e.ids.length ? e.ids[t + 1] : PAD;
        tgt[b * L + t] = y;
        w[b * L + t] = t + 1 < e.ids.length && t + 1 >= e.lossFrom ? 1 : 0;
      }
    });
    const logits = this.logits(tf.tensor2d(inp, [B, L], 'int32'), prefix);
    const logp = tf.logSoftmax(tf.reshape(logits, [B * L, this.vocab.size]));
    const onehot = tf.oneHot(tf.tensor1d(tgt, 'int32'), this.vocab.size);
    return { nll: tf.neg(tf.sum(tf.mul(logp, onehot), 1)) as tf.Tensor1D, w, L };
  }

  /** <bos> indication <sep>: the decoding prompt (same indication policy as `encodeSample`; unknown words counted). */
  private encodePrompt(indication: string, id: string): number[] {
    const ind = indication && indication.trim() ? this.vocab.encode(indication, `${id} indication`) : { ids: [], unknown: 0 };
    this.unknownTokens += ind.unknown;
    if (ind.ids.length > this.cfg.maxIndication) this.truncated++;
    return [BOS, ...ind.ids.slice(0, this.cfg.maxIndication), SEP];
  }

  /** Mean cross-entropy over the loss positions of a batch (a scalar to differentiate). */
  private batchLoss(batch: Encoded[], prefix: tf.Tensor3D | null): tf.Scalar {
    const { nll, w } = this.batchNll(batch, prefix);
    return tf.div(tf.sum(tf.mul(nll, tf.tensor1d(w))), Math.max(1, w.reduce((a, b) => a + b, 0))) as tf.Scalar;
  }

  /**
   * Log-likelihood of each sample's findings (+ <eos>) given its indication and, when features are given, its image
   * prefix — the score beam search maximises, and the captioning loss per study (−logProb / tokens).
   */
  findingsLogProb(samples: TextSample[], features: PatchFeatures | null, ids?: string[]): { logProb: number[]; tokens: number[] } {
    if (features && features.n !== samples.length) throw new Error(`ReportModel.findingsLogProb: ${features.n} feature rows for ${samples.length} samples`);
    const logProb: number[] = [], tokens: number[] = [];
    const bs = 32;
    for (let s = 0; s < samples.length; s += bs) {
      const rows = Array.from({ length: Math.min(bs, samples.length - s) }, (_, i) => s + i);
      const enc = rows.map((r) => this.encodeSample(samples[r], true, ids?.[r] ?? `sample ${r}`));
      const nll = tf.tidy(() => this.batchNll(enc, features ? this.prefix(this.patchBatch(features, rows)) : null).nll.dataSync());
      const L = Math.max(...enc.map((x) => x.ids.length)) - 1;
      enc.forEach((e, b) => {
        let sum = 0, n = 0;
        for (let t = e.lossFrom - 1; t < e.ids.length - 1; t++) { sum -= nll[b * L + t]; n++; }
        logProb.push(sum);
        tokens.push(n);
      });
    }
    return { logProb, tokens };
  }

  private patchBatch(f: PatchFeatures, rows: number[]): tf.Tensor3D {
    const per = f.tokens * f.dim;
    const a = new Float32Array(rows.length * per);
    rows.forEach((r, i) => a.set(f.patches.subarray(r * per, (r + 1) * per), i * per));
    return tf.tensor3d(a, [rows.length, f.tokens, f.dim]);
  }

  /**
   * Train: text only (features null) or captioning (features given; adapter attached on first use). Returns the loss
   * per step. `lmLrScale` scales the language model's learning rate during captioning (the adapter gets `lr`).
   */
  train(samples: TextSample[], features: PatchFeatures | null, opts: { steps: number; batch: number; lr: number; seed: number; lmLrScale?: number; weightDecay?: number; ids?: string[] }): number[] {
    if (!samples.length) throw new Error('ReportModel.train: no samples');
    const captioning = features !== null;
    if (features) {
      if (features.n !== samples.length) throw new Error(`ReportModel.train: ${features.n} feature rows for ${samples.length} samples`);
      this.attachAdapter(features.dim, features.tokens);
    }
    const enc = samples.map((s, i) => this.encodeSample(s, captioning, opts.ids?.[i] ?? `sample ${i}`));
    const names = [...this.params.keys()].filter((k) => captioning || k.startsWith('lm.'));
    const vars = names.map((k) => this.params.get(k)!);
    const opt = new AdamW(new Map(names.map((k, i) => [k, vars[i]])));
    const byVarName = new Map(vars.map((v, i) => [v.name, names[i]]));
    const rng = createRng(opts.seed).fork(captioning ? 'caption' : 'text');
    const losses: number[] = [];
    let order = rng.permutation(samples.length), pos = 0;
    const wd = opts.weightDecay ?? 0.01;
    for (let s = 0; s < opts.steps; s++) {
      const rows: number[] = [];
      while (rows.length < Math.min(opts.batch, samples.length)) {
        if (pos >= order.length) { order = rng.permutation(samples.length); pos = 0; }
        rows.push(order[pos++]);
      }
      // cosine decay after a short warm-up
      const warm = Math.max(1, Math.round(opts.steps * 0.05));
      const lr = opts.lr * (s < warm ? (s + 1) / warm : 0.5 * (1 + Math.cos(Math.PI * (s - warm) / Math.max(1, opts.steps - warm))));
      const patches = features ? this.patchBatch(features, rows) : null;
      const { value, grads } = tf.variableGrads(() => this.batchLoss(rows.map((r) => enc[r]), patches ? this.prefix(patches) : null), vars);
      const g = new Map<string, tf.Tensor>();
      for (const [n, t] of Object.entries(grads)) g.set(byVarName.get(n) ?? n, t);
      const scale = opts.lmLrScale ?? 1;
      opt.apply(g, (k) => (captioning && k.startsWith('lm.') ? lr * scale : lr), (k) => (k.endsWith('.b') || k.endsWith('.g') ? 0 : wd));
      losses.push(value.dataSync()[0]);
      tf.dispose([value, ...Object.values(grads)]);
      patches?.dispose();
    }
    opt.dispose();
    return losses;
  }

  /**
   * Decodes the findings for each sample (indication as prompt; image prefix when features are given): greedy, or beam
   * search when `beam` > 1 (one sample at a time, its beams batched).
   */
  generate(indications: string[], features: PatchFeatures | null, opts: { maxNew?: number; batch?: number; beam?: number } = {}): string[] {
    if (features && features.n !== indications.length) throw new Error(`ReportModel.generate: ${features.n} feature rows for ${indications.length} samples`);
    const beam = opts.beam ?? 1;
    if (!Number.isInteger(beam) || beam < 1) throw new Error(`ReportModel.generate: beam must be a positive integer, got ${beam}`);
    const out = new Array<string>(indications.length);
    const prompts = indications.map((ind, i) => this.encodePrompt(ind, `sample ${i}`));
    if (beam > 1) {
      indications.forEach((_, r) => {
        const prompt = prompts[r];
        const pre = features ? tf.tidy(() => this.prefix(this.patchBatch(features, [r]))) : null;
        const step = (seqs: number[][]) => tf.tidy(() => {
          const k = seqs.length, L = seqs[0].length;
          const ids = tf.tensor2d(Int32Array.from(seqs.flat()), [k, L], 'int32');
          const p = pre ? tf.tile(pre, [k, 1, 1]) as tf.Tensor3D : null;
          const lp = tf.logSoftmax(tf.reshape(this.logits(ids, p, true), [k, this.vocab.size])).dataSync();
          return seqs.map((__, i) => lp.subarray(i * this.vocab.size, (i + 1) * this.vocab.size));
        });
        const maxNew = Math.min(opts.maxNew ?? this.cfg.maxText, this.cfg.maxText - prompt.length);
        const res = beamSearch(prompt, step, { width: beam, maxNew, eos: EOS });
        pre?.dispose();
        out[r] = this.vocab.decode(res.tokens.filter((t) => t !== EOS));
      });
      return out;
    }
    // prompt = <bos> indication <sep>; samples with the same prompt length decode together (no padding inside the prompt)
    const prefixLen = prompts.map((p) => p.length);
    const groups = new Map<number, number[]>();
    prefixLen.forEach((l, i) => groups.set(l, [...(groups.get(l) ?? []), i]));
    const bs = opts.batch ?? 64;
    for (const [len, members] of groups) {
      for (let s = 0; s < members.length; s += bs) {
        const rows = members.slice(s, s + bs);
        const seqs = rows.map((r) => prompts[r].slice(0, len));
        const done = rows.map(() => false);
        const maxNew = Math.min(opts.maxNew ?? this.cfg.maxText, this.cfg.maxText - len);
        const pre = features ? tf.tidy(() => this.prefix(this.patchBatch(features, rows))) : null;
        for (let t = 0; t < maxNew && done.some((x) => !x); t++) {
          const next = tf.tidy(() => {
            const ids = tf.tensor2d(Int32Array.from(seqs.flat()), [rows.length, seqs[0].length], 'int32');
            return tf.argMax(tf.reshape(this.logits(ids, pre, true), [rows.length, this.vocab.size]), 1).dataSync();
          });
          rows.forEach((_, i) => { if (done[i]) seqs[i].push(PAD); else { seqs[i].push(next[i]); if (next[i] === EOS) done[i] = true; } });
        }
        pre?.dispose();
        rows.forEach((r, i) => { out[r] = this.vocab.decode(seqs[i].slice(len).filter((x, j, a) => a.indexOf(EOS) < 0 || j < a.indexOf(EOS))); });
      }
    }
    return out;
  }

  /** A new model with this one's language-model weights (the "pretrained LLM" each encoder starts from); no adapter. */
  cloneLanguageModel(): ReportModel {
    const m = new ReportModel(this.vocab, this.cfg);
    for (const [k, v] of this.params) if (k.startsWith('lm.')) m.params.get(k)!.assign(v);
    return m;
  }

  parameterCount(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }
}

/** Additive causal mask [L, L] (0 on and below the diagonal, −1e9 above); made per call so nothing outlives the step. */
function causalMask(L: number): tf.Tensor {
  const a = new Float32Array(L * L);
  for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) a[i * L + j] = -1e9;
  return tf.tensor2d(a, [L, L]);
}
