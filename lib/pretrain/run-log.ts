/**
 * The JSONL step log beside a training run's checkpoints (pretraining and the supervised baseline), and the runs and
 * intermediate weights found on disk. On resume, lines past the checkpoint's step are dropped — they will be recomputed
 * identically — so the log never holds a step twice; a fresh run starts an empty log.
 */
import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../engine/provenance';

export function prepareRunLog(logFile: string, resumedStep: number | null): void {
  if (resumedStep === null) {
    fs.writeFileSync(logFile, '');
    return;
  }
  if (!fs.existsSync(logFile)) return;
  const kept = fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l && JSON.parse(l).step < resumedStep);
  fs.writeFileSync(logFile, kept.map((l) => `${l}\n`).join(''));
}

/** One checkpoint's training log. */
export interface PretrainLog {
  model: string;
  dir: string;
  records: Record<string, number>[];
}

/** Parses a log.jsonl (one JSON object per line, `step` required); a bad line throws naming file and line. */
export function readPretrainLog(dir: string, model = path.basename(dir)): PretrainLog {
  const file = path.join(dir, 'log.jsonl');
  if (!fs.existsSync(file)) throw new Error(`readPretrainLog: ${file} not found`);
  const records: Record<string, number>[] = [];
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  // a run still training may be mid-write: its unterminated last line is not a record yet
  if (!text.endsWith('\n')) lines.pop();
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let r: Record<string, number>;
    try { r = JSON.parse(line); } catch (e) { throw new Error(`${file}:${i + 1}: not JSON (${(e as Error).message})`); }
    if (typeof r.step !== 'number') throw new Error(`${file}:${i + 1}: field step missing or not a number`);
    records.push(r);
  });
  if (!records.length) throw new Error(`readPretrainLog: ${file} is empty`);
  return { model, dir, records };
}

/** Steps trained, from the checkpoint's log.jsonl (last logged step + 1); undefined without a log. */
export function trainedSteps(dir: string): number | undefined {
  if (!fs.existsSync(path.join(dir, 'log.jsonl'))) return undefined;
  const r = readPretrainLog(dir).records;
  return r[r.length - 1].step + 1;
}

/** Names of the embedded pretraining runs: configs/pretrain/*.json except paper-scale templates (name contains 'paper'). */
export function plannedCheckpoints(root = projectRoot()): string[] {
  const dir = path.join(root, 'configs', 'pretrain');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5))
    .filter((n) => !n.includes('paper')).sort();
}

/**
 * Intermediate teacher weights kept next to a checkpoint: `<dir>/steps/*<step>.safetensors` or
 * `<dir>/model-step<step>.safetensors` (sorted by step). Empty when the run kept only the final model.
 */
export function intermediateCheckpoints(dir: string): { step: number; file: string }[] {
  const found: { step: number; file: string }[] = [];
  const scan = (d: string, re: RegExp) => {
    if (!fs.existsSync(d)) return;
    for (const f of fs.readdirSync(d)) {
      const m = re.exec(f);
      if (m) found.push({ step: Number(m[1]), file: path.join(d, f) });
    }
  };
  scan(path.join(dir, 'steps'), /(\d+)\.safetensors$/);
  scan(dir, /^model[-_]step[-_]?(\d+)\.safetensors$/);
  return found.sort((a, b) => a.step - b.step);
}
