/**
 * Frozen linear-probe transfer of the supervised baseline vs other encoders (docs/baselines.md, "Transfer"):
 * adapters trained / selected on popA train / val, tested on popA and popB test splits (lib/eval/grid/transfer-comparison).
 * Run: npx ts-node --transpile-only scripts/baselines-transfer.ts [name=spec …]
 *   default encoders: supervised-popA=checkpoints/supervised-vit_nano-popA random-init=random:vit_nano:0
 *   (add e.g. ssl=checkpoints/vit-nano-synthetic once it exists). Prints a table; writes .cache/baselines-transfer.csv.
 */
import * as fs from 'fs';
import { transferComparison } from '../lib/eval/grid/transfer-comparison';
import { FINDING_NAMES } from '../lib/data/synthetic/catalogue';

(async () => {
  const args = process.argv.slice(2);
  const encoders: Record<string, string> = args.length
    ? Object.fromEntries(args.map((a) => a.split('=') as [string, string]))
    : { 'supervised-popA': 'checkpoints/supervised-vit_nano-popA', 'random-init': 'random:vit_nano:0' };
  const table = await transferComparison({
    encoders, cacheDir: '.cache/features', trainPopulation: 'popA', testPopulations: ['popA', 'popB'],
    data: { count: 3000, size: 128, seed: 2 }, labels: [...FINDING_NAMES], inputSize: 64,
  });
  // macro rows only (per-class rows have group '<population>/<class>')
  for (const r of table.objects() as Record<string, unknown>[]) {
    if (r.metric === 'auroc' && !String(r.group).includes('/')) console.log(`${r.model}\t${r.split}\t${r.group}\t${(r.value as number).toFixed(4)}\t${r.config}`);
  }
  fs.mkdirSync('.cache', { recursive: true });
  fs.writeFileSync('.cache/baselines-transfer.csv', table.toCSV());
})().catch((e) => { console.error(e); process.exit(1); });
