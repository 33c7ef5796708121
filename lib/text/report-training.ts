/**
 * Report generation (RayDINO Fig 2f / 2g / Table S1): the report corpus aligned with a loaded synthetic dataset, the
 * language model pretrained on text, one captioning fine-tune per encoder's image prefix, whether the fine-tuned
 * model uses its image, and the two floors (the most common report; a report from the image labels alone).
 */
import type { Profile } from '../config/profiles';
import type { SampleTable } from '../data/types';
import { loadManifest } from '../data/manifest';
import { poolPatchGrid } from '../data/patch-grid';
import { standardiseColumns } from '../stats/columns';
import { buildReportCorpus, ReportRecord } from './corpus';
import { LABELS_14 } from './labeller';
import { ReportModel, PatchFeatures } from './report-model';
import { WordVocab } from './vocab';

/** The report corpus of the synthetic-cxr manifest's phantoms at a profile's data sizes (the same ids and splits as its images). */
export function syntheticReportCorpus(d: Pick<Profile['data'], 'nTrain' | 'nVal' | 'nTest' | 'imageSize'>, seed: number): ReportRecord[] {
  const m = loadManifest('synthetic-cxr') as unknown as { generator?: Record<string, unknown> };
  const total = d.nTrain + d.nVal + d.nTest;
  return buildReportCorpus({ ...(m.generator ?? {}), n: total, size: d.imageSize, splits: [d.nTrain / total, d.nVal / total, d.nTest / total] } as never, seed);
}

/**
 * The report corpus of a loaded synthetic-cxr table, generated with the manifest's generator at the profile's data
 * sizes (`d`: the resolved profile's data section); ids and splits checked row by row against the table.
 */
export function reportCorpusFor(samples: SampleTable, d: Pick<Profile['data'], 'nTrain' | 'nVal' | 'nTest' | 'imageSize'>, seed: number): ReportRecord[] {
  const corpus = syntheticReportCorpus(d, seed);
  const ids = samples.table.array('id') as string[];
  const splits = samples.table.array('split') as string[];
  const byId = new Map(corpus.map((r) => [r.id, r]));
  ids.forEach((id, i) => {
    const r = byId.get(id);
    if (!r) throw new Error(`report corpus: sample ${id} of ${samples.dataset} has no report`);
    if (r.split !== splits[i]) throw new Error(`report corpus: sample ${id} is ${splits[i]} in ${samples.dataset} but ${r.split} in the corpus`);
  });
  return ids.map((id) => byId.get(id)!);
}

export interface ReportTrainOptions {
  textSteps: number;
  captionSteps: number;
  batch: number;
  lr: number;
  /** Test reports scored (the first n in id order; all when absent). */
  testLimit?: number;
  seed: number;
  /**
   * Patch grid average-pooled by this factor before the adapter (default 1: every patch token). 2 turns vit_nano's 8×8
   * grid at 64 px into 16 tokens: the same image gain for the supervised baseline as 64 tokens (0.095 vs 0.090 nats per
   * findings token, 600 steps) in about half the time (docs/eval.md, "Report generation").
   */
  poolPatches?: number;
  /** The language model's learning rate during captioning as a fraction of `lr` (the adapter gets `lr`); default 1. */
  lmLrScale?: number;
  /** Beam width for decoding the test reports (default 1: greedy). */
  beam?: number;
}

/** The shared "pretrained LLM": vocabulary from the training reports, text-only training. */
export function pretrainReportLM(corpus: ReportRecord[], o: ReportTrainOptions): { model: ReportModel; losses: number[]; seconds: number } {
  const t0 = Date.now();
  const train = corpus.filter((r) => r.split === 'train');
  const vocab = WordVocab.build(train.flatMap((r) => [r.indication, r.findings]));
  const model = new ReportModel(vocab, { seed: o.seed });
  const losses = model.train(train, null, { steps: o.textSteps, batch: o.batch, lr: o.lr, seed: o.seed, ids: train.map((r) => r.id) });
  return { model, losses, seconds: (Date.now() - t0) / 1000 };
}

/**
 * The adapter's inputs: each split's patch tokens pooled by `pool` (`poolPatchGrid`) and standardised per channel with
 * the training split's statistics over all its tokens (`standardiseColumns`, as the ridge probe scales its inputs). Frozen
 * SSL tokens share a large common component; without the scaling the adapter's first layer sees mostly that.
 */
export function adapterInputs(tr: PatchTokens, te: PatchTokens, pool = 1): { train: PatchFeatures; test: PatchFeatures } {
  const pooled = (fs: PatchTokens) => {
    if (!fs.patches) throw new Error(`report generation: features of ${fs.encoder} (${fs.ids.length} studies) have no patch tokens`);
    return poolPatchGrid(fs.patches, fs.n, fs.gridH, fs.gridW, fs.dim, pool);
  };
  const a = pooled(tr), b = pooled(te);
  if (tr.dim !== te.dim || a.gridH * a.gridW !== b.gridH * b.gridW) throw new Error(`report generation: train tokens ${a.gridH}×${a.gridW}×${tr.dim} vs test ${b.gridH}×${b.gridW}×${te.dim} of ${tr.encoder}`);
  const [za, zb] = standardiseColumns(a.patches, [a.patches, b.patches], tr.dim);
  const tokens = a.gridH * a.gridW;
  return { train: { patches: Float32Array.from(za), n: tr.n, tokens, dim: tr.dim }, test: { patches: Float32Array.from(zb), n: te.n, tokens, dim: te.dim } };
}

/**
 * A "feature set" whose one token per study is its report's 14 labeller labels: fed through the same adapter, it is the
 * ceiling of a perfect 14-finding classifier (it still lacks side, size and device position, which the text has).
 */
export function labelTokens(name: string, ids: string[], corpus: ReportRecord[]): PatchTokens {
  const byId = new Map(corpus.map((r) => [r.id, r]));
  const d = LABELS_14.length;
  const patches = new Float32Array(ids.length * d);
  ids.forEach((id, i) => {
    const r = byId.get(id);
    if (!r) throw new Error(`labelTokens: study ${id} has no report`);
    patches.set(r.labels, i * d);
  });
  return { encoder: name, ids, n: ids.length, gridH: 1, gridW: 1, dim: d, patches };
}

/**
 * Does the fine-tuned model use the image? Captioning loss per findings token on the given studies with each study's own
 * image prefix, and with the prefix of another study (rows rotated by one, so every study gets a different image with
 * the same distribution). A model that ignores its prefix scores the same on both; the gap is what the image adds.
 */
export function imageUse(model: ReportModel, records: ReportRecord[], f: PatchFeatures): { own: number; rotated: number; gain: number } {
  if (records.length < 2) throw new Error('imageUse: needs at least two studies');
  const per = f.tokens * f.dim;
  const rot = new Float32Array(f.n * per);
  for (let i = 0; i < f.n; i++) rot.set(f.patches.subarray(((i + 1) % f.n) * per, ((i + 1) % f.n + 1) * per), i * per);
  const loss = (x: PatchFeatures) => { const r = model.findingsLogProb(records, x, records.map((q) => q.id)); return -r.logProb.reduce((a, b) => a + b, 0) / r.tokens.reduce((a, b) => a + b, 0); };
  const own = loss(f), rotated = loss({ ...f, patches: rot });
  return { own, rotated, gain: rotated - own };
}

export interface GeneratedReports {
  /** Test captioning loss per token with the own image vs a rotated one (`imageUse`). */
  imageUse: { own: number; rotated: number; gain: number };
  model: string; ids: string[]; generated: string[]; captionLosses: number[]; trainSeconds: number; decodeTokensPerSecond: number;
  /** Words outside the vocabulary (encoded as <unk>) and samples cut to maxText, over fine-tuning and decoding: printed, never silent. */
  unknownTokens: number; truncated: number;
}

/** A split's patch tokens by study id (lib/features FeatureSet has these fields). */
export interface PatchTokens { encoder: string; ids: string[]; n: number; gridH: number; gridW: number; dim: number; patches?: Float32Array }

/**
 * Fine-tune a copy of the pretrained LM with one encoder's image prefix (its train-split patch tokens through
 * `adapterInputs`), then write the reports of the first `testLimit` test studies.
 */
export function finetuneAndWrite(model: string, tr: PatchTokens, te: PatchTokens, corpus: ReportRecord[], lm: ReportModel, o: ReportTrainOptions): GeneratedReports {
  const byId = new Map(corpus.map((r) => [r.id, r]));
  const trainRecords = tr.ids.map((id) => byId.get(id)!);
  const t0 = Date.now();
  const writer = lm.cloneLanguageModel();
  const inputs = adapterInputs(tr, te, o.poolPatches ?? 1);
  const captionLosses = writer.train(trainRecords, inputs.train, { steps: o.captionSteps, batch: o.batch, lr: o.lr, seed: o.seed, lmLrScale: o.lmLrScale ?? 1, ids: tr.ids });
  const trainSeconds = (Date.now() - t0) / 1000;
  const n = Math.min(o.testLimit ?? te.n, te.n);
  const tp = inputs.test;
  const sub: PatchFeatures = { ...tp, n, patches: tp.patches.subarray(0, n * tp.tokens * tp.dim) };
  const ids = te.ids.slice(0, n);
  const t1 = Date.now();
  const generated = writer.generate(ids.map((id) => byId.get(id)!.indication), sub, { beam: o.beam ?? 1 });
  const tokens = generated.reduce((a, g) => a + (g ? g.split(' ').length + 1 : 1), 0);
  const decodeTokensPerSecond = tokens / Math.max(1e-3, (Date.now() - t1) / 1000);
  const use = imageUse(writer, ids.map((id) => byId.get(id)!), sub);
  const { unknownTokens, truncated } = writer;
  writer.dispose();
  return { model, ids, generated, captionLosses, trainSeconds, decodeTokensPerSecond, unknownTokens, truncated, imageUse: use };
}

/** The floor that writes the training set's most common findings text for every study. */
export function mostCommonReport(corpus: ReportRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of corpus) if (r.split === 'train') counts.set(r.findings, (counts.get(r.findings) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
}

const LABEL_PHRASES: Record<string, string> = {
  Effusion: 'pleural effusion', 'Support Devices': 'support devices', Atelectasis: 'atelectasis', Cardiomegaly: 'cardiomegaly',
  Consolidation: 'consolidation', Nodule: 'nodule', Pneumothorax: 'pneumothorax', Edema: 'pulmonary edema', Emphysema: 'emphysema',
  Mass: 'mass', 'Pleural Thickening': 'pleural thickening', Fracture: 'fracture', Calcification: 'calcification', Hernia: 'hiatal hernia',
};

/** The floor that writes from the image labels alone (no side, size or position): one sentence per positive label. */
export function reportFromLabels(labels: Record<string, number>): string {
  const pos = LABELS_14.filter((n) => labels[n] === 1).map((n) => `${LABEL_PHRASES[n]}.`);
  const neg = ['Pneumothorax', 'Effusion'].filter((n) => labels[n] !== 1).map((n) => `no ${LABEL_PHRASES[n]}.`);
  return [...pos, ...neg].join(' ') || 'no acute cardiopulmonary process.';
}
