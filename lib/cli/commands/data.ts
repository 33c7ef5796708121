/** `raydino data`: list manifests, check a local copy of a dataset against its manifest. */
import { Command } from '../command';
import { parseArgs, stringFlag, numberFlag, UsageError } from '../args';
import { checkDataset, formatReport } from '../../data/check';
import { listManifests, loadManifest } from '../../data/manifest';
import type { Split } from '../../data/types';

const USAGE = `usage:
  raydino data list
      list the shipped manifests (data-manifests/*.json)
  raydino data check <manifest-id | path.json> [--root <dir>] [--split train|val|test] [--seed n] [--json] [--strict] [--no-decode]
      validate a local copy against the manifest: counts per split, label prevalence, demographics,
      missing or unreadable files (listed; fatal only with --strict). --json prints the normalised rows,
      one JSON object per line (problems go to stderr). The data root defaults to the manifest's own root
      (shipped sets) or $RAYDINO_DATA_ROOT/<id>.`;

async function check(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    flags: {
      root: { type: 'string' }, split: { type: 'string', choices: ['train', 'val', 'test'] }, seed: { type: 'number', integer: true },
      json: { type: 'boolean' }, strict: { type: 'boolean' }, 'no-decode': { type: 'boolean' },
    },
    positionals: [0, 1],
  });
  const id = args.positional[0];
  if (!id) throw new UsageError('missing the manifest id or path');
  const split = stringFlag(args, 'split') as Split | undefined;
  const strict = args.flags.strict === true;
  const { report, samples } = await checkDataset(id, {
    root: stringFlag(args, 'root'), split, seed: numberFlag(args, 'seed'),
    verify: args.flags['no-decode'] ? 'exists' : 'decode',
  });
  if (args.flags.json) {
    for (const row of samples.table.objects()) process.stdout.write(`${JSON.stringify(row)}\n`);
    for (const p of report.problems) process.stderr.write(`problem: ${p.id}: ${p.reason}\n`);
  } else console.log(formatReport(report));
  if (report.leakedPatients.length) { console.error(`raydino data: ${report.leakedPatients.length} patients in more than one split`); return 1; }
  if (strict && report.problems.length) { console.error(`raydino data: ${report.problems.length} problems (--strict)`); return 1; }
  return 0;
}

export const dataCommand: Command = {
  name: 'data',
  summary: 'list dataset manifests; check a local copy against a manifest',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'list') {
      parseArgs(rest, { flags: {} });
      for (const id of listManifests()) {
        const m = loadManifest(id);
        console.log(`${id.padEnd(26)} ${m.parser.padEnd(16)} ${m.name}`);
      }
      return 0;
    }
    if (sub === 'check') return check(rest);
    throw new UsageError(sub === undefined ? 'missing sub-command (list or check)' : `unknown sub-command '${sub}' (list or check)`);
  },
};
