/** The one command-line parser: every `raydino` command refuses flags it does not declare, with exit code 2. */
import { strict as assert } from 'assert';
import * as os from 'os';
import * as path from 'path';
import { parseArgs, suggestFlag, UsageError } from '../../lib/cli/args';
import { main } from '../../lib/cli/main';
import { commands } from '../../lib/cli/registry';
import { openEncoder } from '../../lib/features/open-encoder';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const log = console.log, error = console.error;
  let out = '', err = '';
  console.log = (...a: unknown[]) => { out += `${a.join(' ')}\n`; };
  console.error = (...a: unknown[]) => { err += `${a.join(' ')}\n`; };
  try {
    return { code: await main(argv), out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

const CONFIG = path.join(__dirname, '..', '..', 'configs', 'pretrain', 'vit-nano-synthetic.json');

describe('raydino command line', () => {
  describe('parseArgs', () => {
    const spec = {
      flags: {
        out: { type: 'string' as const, required: true }, n: { type: 'number' as const, integer: true, min: 1 },
        split: { type: 'string' as const, choices: ['train', 'val', 'test'] }, strict: { type: 'boolean' as const },
        rate: { type: 'number' as const },
      },
      positionals: [0, 1] as [number, number],
    };

    it('reads --k v, --k=v, switches, negative numbers and one positional', () => {
      const a = parseArgs(['id', '--out', 'd', '--n=3', '--strict', '--rate', '-0.5', '--split', 'val'], spec);
      assert.deepEqual(a, { positional: ['id'], flags: { out: 'd', n: '3', strict: true, rate: '-0.5', split: 'val' } });
    });

    const refused: [string[], RegExp][] = [
      [['--out', 'd', '--strct'], /^unknown option --strct \(did you mean --strict\?\)$/],
      [['--out', 'd', '--frobnicate'], /^unknown option --frobnicate$/],
      [['--out'], /^--out needs a value$/],
      [['--out', '--strict'], /^--out needs a value$/],
      [['--out='], /^--out needs a value$/],
      [['--out', 'd', '--n', 'three'], /^invalid --n: three \(a number\)$/],
      [['--out', 'd', '--n', '1.5'], /^invalid --n: 1\.5 \(an integer\)$/],
      [['--out', 'd', '--n', '0'], /^invalid --n: 0 \(at least 1\)$/],
      [['--out', 'd', '--rate', 'Infinity'], /^invalid --rate: Infinity/],
      [['--out', 'd', '--split', 'tset'], /^invalid --split: tset \(expected train, val, test\)$/],
      [['--out', 'd', '--strict=yes'], /^--strict is a switch and takes no value/],
      [['--out', 'd', '--out', 'e'], /^--out given twice$/],
      [['--strict'], /^missing --out$/],
      [['--out', 'd', 'a', 'b'], /^unexpected argument: b$/],
      [['--out', 'd', '-n', '3'], /^unknown option -n \(options are spelt --name\)$/],
    ];
    for (const [argv, re] of refused) {
      it(`refuses ${argv.join(' ')}`, () => {
        assert.throws(() => parseArgs(argv, spec), (e: Error) => e instanceof UsageError && re.test(e.message));
      });
    }

    it('suggests only near misses', () => {
      assert.equal(suggestFlag('max-step', ['max-steps', 'resume']), 'max-steps');
      assert.equal(suggestFlag('splt', ['split', 'seed']), 'split');
      assert.equal(suggestFlag('bloks', ['blocks', 'batch']), 'blocks');
      assert.equal(suggestFlag('zzz', ['split', 'seed']), undefined);
    });
  });

  describe('every command, through main', () => {
    // The three typos of issue 14: each ran to exit 0 doing the wrong thing before.
    const cases: [string, string[], RegExp][] = [
      ['data check --strct', ['data', 'check', 'covid-chestxray', '--strct'], /unknown option --strct \(did you mean --strict\?\)/],
      ['pretrain --max-step', ['pretrain', '--config', CONFIG, '--max-step', '1'], /unknown option --max-step \(did you mean --max-steps\?\)/],
      ['features --splt', ['features', '--encoder', 'randproj', '--manifest', 'covid-chestxray', '--out', os.tmpdir(), '--splt', 'test'], /unknown option --splt \(did you mean --split\?\)/],
      ['features --size 0', ['features', '--encoder', 'randproj', '--manifest', 'covid-chestxray', '--out', os.tmpdir(), '--size', '0'], /invalid --size: 0 \(at least 1\)/],
      ['encoder export --size 0', ['encoder', 'export', '--weights', 'w.safetensors', '--out', 'x.onnx', '--size', '0'], /invalid --size: 0 \(a positive size/],
      ['encoder embed --batch x', ['encoder', 'embed', '--weights', 'w', '--input', 'x', '--out', 'o', '--batch', 'x'], /invalid --batch: x \(a number\)/],
      ['supervised --max-steps without a value', ['supervised', '--config', 'c.json', '--max-steps'], /--max-steps needs a value/],
      ['bench --jsn', ['bench', '--jsn'], /unknown option --jsn \(did you mean --json\?\)/],
      ['figures --profil', ['figures', '--profil', 'quick'], /unknown option --profil \(did you mean --profile\?\)/],
      ['data list extra', ['data', 'list', '--all'], /unknown option --all/],
      ['data check without an id', ['data', 'check'], /missing the manifest id or path/],
      ['encoder without a sub-command', ['encoder'], /missing sub-command/],
    ];
    for (const [what, argv, re] of cases) {
      it(`${what}: one line naming the flag, the usage, exit 2`, async () => {
        const r = await run(argv);
        assert.equal(r.code, 2, r.err);
        const [first, blank] = r.err.split('\n');
        assert.match(first, new RegExp(`^raydino ${argv[0]}: `));
        assert.match(first, re);
        assert.equal(blank, '');
        const cmd = commands.find((c) => c.name === argv[0])!;
        assert.ok(r.err.includes(cmd.usage), 'usage printed');
        assert.equal(r.out, '');
      });
    }

    it('other errors still propagate (exit 1 in bin/raydino.js)', async () => {
      await assert.rejects(main(['pretrain', '--config', '/nonexistent/x.json']), (e: Error) => !(e instanceof UsageError));
    });
  });

  it('openEncoder refuses a zero or fractional input size with a message', async () => {
    await assert.rejects(openEncoder('randproj', { inputSize: 0 }), /encoder randproj: invalid input size 0 \(a positive integer/);
    await assert.rejects(openEncoder('model.onnx', { inputSize: 2.5 }), /invalid input size 2\.5/);
  });
});
