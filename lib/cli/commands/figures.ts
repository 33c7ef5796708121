import * as path from 'path';
import { Command } from '../command';
import { parseArgs, numberFlag, stringFlag, UsageError } from '../args';
import { ProfileNameSchema } from '../../config/profiles';
import { defaultJobs, failureMessage, runNotebooks } from '../../report/run-notebooks';

const usage = `usage: raydino figures [--profile quick|full] [--only 00,02] [--jobs N] [--timeout SECONDS] [--bail] [--dir DIR] [--out DIR]

Executes every notebook in notebooks/ with the project-local tslab kernel (nbclient, as \`jupyter nbconvert
--execute\`), up to --jobs at once, each with its share of the cores (RAYDINO_CORES). Notebooks that time the engine
(metadata.raydino.exclusive: 00, 01) run alone; the rest start longest first (the seconds their last good run
recorded in its executed copy, with its cells over 5 s). Executed copies go to notebooks/executed/, figures and
tables to figures/<notebook>/.
A failing cell fails the run, naming the notebook, the cell (index + first source line) and the error; the
executed copy of a failed notebook is written to <name>.failed.ipynb, the last good copy stays. Panels that need a
real set which is not here are skipped with one line each (docs/data.md, "Real sets").

  --profile   run profile passed to the kernels as RAYDINO_PROFILE (default: $RAYDINO_PROFILE or quick)
  --only      comma-separated notebook prefixes, e.g. 00,02
  --jobs      notebooks at once (default: $RAYDINO_FIGURE_JOBS, else one per core up to 4, ~4 GiB of memory each)
  --timeout   per-cell timeout in seconds (default 1800)
  --bail      stop at the first failing notebook
  --dir       notebooks folder (default notebooks/)
  --out       folder for executed copies (default <dir>/executed)`;

function absolute(p: string | undefined): string | undefined {
  return p === undefined ? undefined : path.resolve(p);
}

export const figuresCommand: Command = {
  name: 'figures',
  summary: 'execute the notebooks (regenerates figures/ and notebooks/executed/)',
  usage,
  async run(argv) {
    const args = parseArgs(argv, {
      flags: {
        profile: { type: 'string', choices: ProfileNameSchema.options }, only: { type: 'string' }, jobs: { type: 'number', min: 1 },
        timeout: { type: 'number', min: 1 }, bail: { type: 'boolean' }, dir: { type: 'string' }, out: { type: 'string' },
      },
    });
    const profileArg = stringFlag(args, 'profile');
    const profile = profileArg === undefined ? undefined : ProfileNameSchema.safeParse(profileArg);
    const only = stringFlag(args, 'only')?.split(',').map((s) => s.trim()).filter(Boolean);
    const jobs = numberFlag(args, 'jobs') ?? defaultJobs();
    if (!Number.isInteger(jobs)) throw new UsageError(`invalid --jobs: ${jobs} (a whole number ≥ 1)`);
    console.log(`figures: up to ${jobs} notebook(s) at once`);
    const started = Date.now();
    const results = await runNotebooks({
      profile: profile?.data,
      dir: absolute(stringFlag(args, 'dir')),
      outDir: absolute(stringFlag(args, 'out')),
      only,
      jobs,
      cellTimeout: numberFlag(args, 'timeout', 1800),
      bail: args.flags.bail === true,
      onStart: (nb) => console.log(`▶ ${nb} …`),
      onResult: (r) => {
        console.log(r.ok ? `✔ ${r.notebook} (${r.seconds.toFixed(1)} s)` : `✘ ${r.notebook} (${r.seconds.toFixed(1)} s)`);
        for (const line of r.skipped) console.log(`  ${line}`);
      },
    });
    const skipped = results.reduce((n, r) => n + r.skipped.length, 0);
    if (skipped) console.log(`${skipped} panel group(s) skipped: a real set was not found (how to add one: docs/data.md, "Real sets")`);
    const failed = results.filter((r) => !r.ok);
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (failed.length) {
      console.error(`\n${failed.length} of ${results.length} notebook(s) failed:\n`);
      for (const f of failed) console.error(`${failureMessage(f)}\n`);
      return 1;
    }
    console.log(`${results.length} notebook(s) ran in ${secs} s; figures in figures/, executed notebooks in notebooks/executed/`);
    return 0;
  },
};
