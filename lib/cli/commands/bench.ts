import { Command } from '../command';
import { parseArgs, stringFlag } from '../args';
import { BenchResult, runBench } from '../../bench';

const usage = `usage: raydino bench [--json] [--only engine,stats,...] [--quick]

Runs the registered benchmark sections (lib/bench/index.ts) on this machine.
  --json    print one JSON object {section: {metric: value}} on stdout (nothing else on stdout)
  --only    comma-separated sections (default all)
  --quick   the quick profile's sizes (default: the RAYDINO_PROFILE profile, quick unless set to full)`;

function printSection(name: string, r: BenchResult): void {
  console.log(`\n${name}`);
  const w = Math.max(...Object.keys(r).map((k) => k.length));
  for (const [k, v] of Object.entries(r)) console.log(`  ${k.padEnd(w)}  ${v}`);
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'measure this machine (matmul GFLOP/s, worker scaling, each area\'s hot paths)',
  usage,
  async run(argv) {
    const args = parseArgs(argv, { flags: { json: { type: 'boolean' }, only: { type: 'string' }, quick: { type: 'boolean' } } });
    const json = args.flags.json === true;
    const quick = args.flags.quick === true || (process.env.RAYDINO_PROFILE ?? 'quick') !== 'full';
    const only = stringFlag(args, 'only')?.split(',').map((s) => s.trim()).filter(Boolean);
    const results = await runBench({ only, quick, onSection: json ? undefined : printSection });
    if (json) process.stdout.write(`${JSON.stringify(results)}\n`);
    return 0;
  },
};
