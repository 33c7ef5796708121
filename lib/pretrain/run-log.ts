/**
 * The JSONL step log beside a training run's checkpoints (pretraining and the supervised baseline). On resume, lines
 * past the checkpoint's step are dropped — they will be recomputed identically — so the log never holds a step twice;
 * a fresh run starts an empty log.
 */
import * as fs from 'fs';

export function prepareRunLog(logFile: string, resumedStep: number | null): void {
  if (resumedStep === null) {
    fs.writeFileSync(logFile, '');
    return;
  }
  if (!fs.existsSync(logFile)) return;
  const kept = fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l && JSON.parse(l).step < resumedStep);
  fs.writeFileSync(logFile, kept.map((l) => `${l}\n`).join(''));
}
