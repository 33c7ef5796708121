/**
 * Report-generation throughput (issue 13): the captioning fine-tune step, greedy decoding and beam search of
 * lib/text/report-model.ts at notebook 08's sizes (DEFAULT_REPORT_MODEL, batch 16 quick / 32 full, lr 3e-3, LM at 0.3 ×
 * lr), on frozen patch features drawn at random in vit_nano's shape (64 px / patch 8 → 64 tokens × 96), the vocabulary
 * and texts from the synthetic report corpus of the quick profile. Beside ours, the same architecture, sizes, batch and
 * optimiser in PyTorch (scripts/torch-report-bench.py: torch.nn modules, torch.optim.AdamW, fp32 and bf16 autocast
 * where the CPU has native bf16; ./python's interpreter, 2 threads, OMP_WAIT_POLICY=PASSIVE), run in the same call so
 * machine load hits both.
 *
 * Training uses one fixed batch (every step sees the same B reports in a new order), so the target tokens per step —
 * findings + <eos> of each report, what the captioning loss averages over — are one number on both sides. Decoding
 * takes test reports whose prompts (<bos> indication <sep>) share one length, so ReportModel.generate decodes them as one
 * batch; it recomputes the whole sequence per new token (no KV cache) and keeps finished rows in the batch until all are
 * done, so the work is (rows × decode steps) next-token positions; PyTorch runs exactly as many steps on as many rows.
 *
 * Keys (flat, JSON-able):
 *   report_backend                  tfjs backend of ours ('<name>, <threads>')
 *   report_vocab, report_params     vocabulary size; parameters of LM + adapter
 *   report_patch_tokens, report_patch_dim   the frozen features' shape per study
 *   report_train_batch, report_train_steps  reports per step; timed steps (after one warm-up step)
 *   report_train_seq_len            padded text positions of the batch (the LM also sees prefixTokens before them)
 *   report_train_target_tokens_per_step  Σ over the batch of (findings + <eos>) tokens
 *   report_train_ours_s_per_step, report_train_ours_tokens_per_s
 *   report_decode_rows, report_decode_prompt_len, report_decode_steps  decoded studies; prompt length; steps ours ran
 *   report_decode_positions         rows × steps: next tokens computed
 *   report_decode_ours_s, report_decode_ours_tokens_per_s   (positions / s, after one short warm-up decode)
 *   report_torch                    '<torch.__version__>, bf16 <yes | why not>', or 'unavailable: …'
 *   report_train_torch_tokens_per_s, report_train_speed_vs_torch           fp32; speed = torch time / ours (> 1: ours faster)
 *   report_train_torch_bf16_tokens_per_s, report_train_speed_vs_torch_bf16 bf16 autocast (only where bf16 is 'yes')
 *   report_decode_torch_tokens_per_s, report_decode_speed_vs_torch         and …_bf16_… likewise
 *   report_beam_width, report_beam_rows, report_beam_steps  beam search (width 3) on the first studies of the greedy set,
 *                                   one at a time as ReportModel.generate does; steps summed over studies
 *   report_beam_positions           Σ live beams over the steps (next tokens computed)
 *   report_beam_ours_s, report_beam_ours_tokens_per_s
 *   report_beam_torch_tokens_per_s, report_beam_speed_vs_torch, and …_bf16 likewise: PyTorch runs each study's step count
 *                                   with `width` beams after the first step (a user's top-k beam loop); its positions may
 *                                   exceed ours when our beams end at <eos>, so the ratio is of tokens/s, not of times
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { blasNote, torchEnv, torchPython } from './python';
import { getProfile } from '../config/profiles';
import { initBackend } from '../engine/backend';
import { createRng } from '../engine/rng';
import { modelConfig } from '../models/registry';
import type { ReportRecord } from '../text/corpus';
import { syntheticReportCorpus } from '../text/report-training';
import { PatchFeatures, ReportModel, ReportModelConfig } from '../text/report-model';
import { WordVocab } from '../text/vocab';

export interface ReportBenchSizes {
  model: Partial<ReportModelConfig>;
  /** Patch tokens × width per study. */
  tokens: number;
  dim: number;
  batch: number;
  steps: number;
  decodeRows: number;
  /** Beam search: studies decoded (the first of the greedy set) and width. */
  beamRows: number;
  beamWidth: number;
  /** Cap on decoded tokens (default: up to maxText, as notebook 08). */
  maxNew?: number;
  lr: number;
  lmLrScale: number;
  weightDecay: number;
}

/** Notebook 08's captioning settings on vit_nano-shaped features. */
export function reportBenchSizes(quick: boolean): ReportBenchSizes {
  const v = modelConfig('vit_nano');
  const side = v.imgSize / v.patchSize;
  return {
    model: {}, tokens: side * side, dim: v.dim, batch: quick ? 16 : 32, steps: quick ? 10 : 40,
    decodeRows: quick ? 32 : 64, beamRows: quick ? 4 : 8, beamWidth: 3, lr: 3e-3, lmLrScale: 0.3, weightDecay: 0.01,
  };
}

/** The quick profile's synthetic report corpus (what notebook 08 trains on: same generator settings, corpus seed 13). */
export function reportBenchCorpus(): ReportRecord[] {
  return syntheticReportCorpus(getProfile('quick').data, 13);
}

function randomPatches(n: number, tokens: number, dim: number, seed: number): PatchFeatures {
  const rng = createRng(seed);
  const patches = new Float32Array(n * tokens * dim);
  for (let i = 0; i < patches.length; i++) patches[i] = rng.normal();
  return { patches, n, tokens, dim };
}

/** Test reports whose prompt length is the most common one, up to `rows` of them (one decoding batch). */
function decodeSet(model: ReportModel, test: ReportRecord[], rows: number): { records: ReportRecord[]; promptLen: number } {
  const lens = test.map((r) => model.encodeSample(r, true, r.id).lossFrom);
  const count = new Map<number, number>();
  for (const l of lens) count.set(l, (count.get(l) ?? 0) + 1);
  const promptLen = [...count].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  return { records: test.filter((_, i) => lens[i] === promptLen).slice(0, rows), promptLen };
}

/**
 * Counts next-token computations of `generate`: each greedy or beam step is one `logits` call; `positions` sums its rows
 * (greedy: every row of the batch; beam: the live beams).
 */
function countSteps(model: ReportModel): { steps: () => number; positions: () => number; restore: () => void } {
  const logits = model.logits;
  let n = 0, rows = 0;
  model.logits = (...a: Parameters<ReportModel['logits']>) => { n++; rows += a[0].shape[0]; return logits.apply(model, a); };
  return { steps: () => n, positions: () => rows, restore: () => { model.logits = logits; } };
}

/** Seconds of `f` with the model's next-token computations counted. */
function counted(model: ReportModel, f: () => unknown): { seconds: number; steps: number; positions: number } {
  const c = countSteps(model);
  try {
    const t0 = process.hrtime.bigint();
    f();
    return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, steps: c.steps(), positions: c.positions() };
  } finally {
    c.restore();
  }
}

interface TorchTimes {
  torch: string; bf16: string; train_s_per_step: number; decode_s: number; beam_s: number; beam_positions: number;
  train_bf16_s_per_step?: number; decode_bf16_s?: number; beam_bf16_s?: number;
}

function torchTimes(args: Record<string, unknown>): TorchTimes | string {
  const script = path.join(__dirname, '..', '..', 'scripts', 'torch-report-bench.py');
  let py: string;
  try {
    py = torchPython();
  } catch (e) {
    return `unavailable: ${(e as Error).message}`;
  }
  const r = spawnSync(py, [script, JSON.stringify(args)], { encoding: 'utf8', env: torchEnv(), timeout: 600_000 });
  if (r.error) return `unavailable: ${r.error.message}`;
  if (r.status !== 0) return `unavailable: ${(r.stderr || '').trim().split('\n').pop()}`;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() as string) as TorchTimes;
  } catch {
    return `unavailable: unparsable output ${r.stdout.slice(0, 200)}`;
  }
}

/** The section at the given sizes; `torch: false` runs ours alone (the torch keys are then absent). */
export async function runReportBench(s: ReportBenchSizes, opts: { torch: boolean }): Promise<Record<string, number | string>> {
  const info = await initBackend();
  const corpus = reportBenchCorpus();
  const train = corpus.filter((r) => r.split === 'train');
  const vocab = WordVocab.build(train.flatMap((r) => [r.indication, r.findings]));
  const model = new ReportModel(vocab, s.model);
  const out: Record<string, number | string> = { report_backend: `${info.name}, ${info.threads === 0 ? 'native threads' : `${info.threads} thread(s)`}` };
  try {
    const batch = train.slice(0, s.batch);
    const enc = batch.map((r) => model.encodeSample(r, true, r.id));
    const targets = enc.reduce((a, e) => a + e.ids.length - e.lossFrom, 0);
    const feats = randomPatches(s.batch, s.tokens, s.dim, 1);
    // batch = all samples: every step trains on the same reports, so each step has `targets` loss positions
    const trainOpts = { batch: s.batch, lr: s.lr, seed: 0, lmLrScale: s.lmLrScale, weightDecay: s.weightDecay, ids: batch.map((r) => r.id) };
    model.train(batch, feats, { ...trainOpts, steps: 1 });   // warm-up; attaches the adapter
    const t0 = process.hrtime.bigint();
    model.train(batch, feats, { ...trainOpts, steps: s.steps });
    const trainS = Number(process.hrtime.bigint() - t0) / 1e9 / s.steps;
    Object.assign(out, {
      report_vocab: vocab.size, report_params: model.parameterCount(), report_patch_tokens: s.tokens, report_patch_dim: s.dim,
      report_train_batch: s.batch, report_train_steps: s.steps, report_train_seq_len: Math.max(...enc.map((e) => e.ids.length)) - 1,
      report_train_target_tokens_per_step: targets, report_train_ours_s_per_step: round(trainS), report_train_ours_tokens_per_s: round(targets / trainS),
    });

    const { records, promptLen } = decodeSet(model, corpus.filter((r) => r.split === 'test'), s.decodeRows);
    const dfeats = randomPatches(records.length, s.tokens, s.dim, 2);
    const inds = records.map((r) => r.indication);
    model.generate(inds, dfeats, { maxNew: 2, batch: records.length });   // warm-up
    const greedy = counted(model, () => model.generate(inds, dfeats, { maxNew: s.maxNew, batch: records.length }));
    const steps = greedy.steps, positions = greedy.positions, decodeS = greedy.seconds;
    Object.assign(out, {
      report_decode_rows: records.length, report_decode_prompt_len: promptLen, report_decode_steps: steps, report_decode_positions: positions,
      report_decode_ours_s: round(decodeS), report_decode_ours_tokens_per_s: round(positions / decodeS),
    });
    // beam: one study at a time (as generate does), so each study's step count can be replayed by PyTorch
    const beamRows = records.slice(0, s.beamRows);
    const per = s.tokens * s.dim;
    const beam = beamRows.map((_, i) => {
      const one: PatchFeatures = { ...dfeats, n: 1, patches: dfeats.patches.subarray(i * per, (i + 1) * per) };
      return counted(model, () => model.generate([inds[i]], one, { maxNew: s.maxNew, beam: s.beamWidth }));
    });
    const beamS = beam.reduce((a, b) => a + b.seconds, 0), beamPositions = beam.reduce((a, b) => a + b.positions, 0);
    Object.assign(out, {
      report_beam_width: s.beamWidth, report_beam_rows: beamRows.length, report_beam_steps: beam.reduce((a, b) => a + b.steps, 0),
      report_beam_positions: beamPositions, report_beam_ours_s: round(beamS), report_beam_ours_tokens_per_s: round(beamPositions / beamS),
    });

    if (opts.torch) {
      const c = model.cfg;
      const t = torchTimes({
        vocab: vocab.size, dModel: c.dModel, heads: c.heads, mlpRatio: c.mlpRatio, maxText: c.maxText, prefixTokens: c.prefixTokens,
        lmLayers: c.lmLayers, adapterLayers: c.adapterLayers, tokens: s.tokens, dim: s.dim, batch: enc, steps: s.steps, lr: s.lr,
        lmLrScale: s.lmLrScale, weightDecay: s.weightDecay,
        prompts: records.map((r) => model.encodeSample(r, true, r.id).ids.slice(0, promptLen)), decodeSteps: steps,
        beamWidth: s.beamWidth, beamSteps: beam.map((b) => b.steps),
      });
      if (typeof t === 'string') out.report_torch = t;
      else {
        out.report_torch = `${t.torch}, bf16 ${t.bf16}${blasNote()}`;
        // one row of keys per precision; speed = PyTorch time / ours (beam: tokens/s, see the head comment)
        const torchRow = (sfx: string, train: number, decode: number, beamT: number) => {
          out[`report_train_torch${sfx}_tokens_per_s`] = round(targets / train);
          out[`report_train_speed_vs_torch${sfx}`] = round(train / trainS);
          out[`report_decode_torch${sfx}_tokens_per_s`] = round(positions / decode);
          out[`report_decode_speed_vs_torch${sfx}`] = round(decode / decodeS);
          out[`report_beam_torch${sfx}_tokens_per_s`] = round(t.beam_positions / beamT);
          out[`report_beam_speed_vs_torch${sfx}`] = round((beamPositions / beamS) / (t.beam_positions / beamT));
        };
        torchRow('', t.train_s_per_step, t.decode_s, t.beam_s);
        if (t.train_bf16_s_per_step !== undefined && t.decode_bf16_s !== undefined && t.beam_bf16_s !== undefined) {
          torchRow('_bf16', t.train_bf16_s_per_step, t.decode_bf16_s, t.beam_bf16_s);
        }
      }
    }
  } finally {
    model.dispose();
  }
  return out;
}

export async function benchReport(opts: { quick: boolean }): Promise<Record<string, number | string>> {
  return runReportBench(reportBenchSizes(opts.quick), { torch: true });
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
