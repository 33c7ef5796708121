/** `raydino features`: extract frozen-encoder features of a dataset into the feature cache (lib/features). */
import { Command } from '../command';
import { numberFlag, parseArgs, requireFlag, stringFlag, UsageError } from '../args';
import { loadDataset } from '../../data/load';
import type { Split } from '../../data/types';
import { extractFeatures } from '../../features/extract';
import { openEncoder } from '../../features/open-encoder';
import { progress } from '../../engine/progress';
import { DEFAULT_ENCODER_PRECISION, ENCODER_PRECISIONS } from '../../config/encoder-precision';
import { INT8_AUTO_MIN_DIM } from '../../models/onnx-export';

const usage = `usage: raydino features --encoder <ckpt-dir|model.safetensors|model.onnx|random:<vit>|randproj>
                        --manifest <id|path> [--root <dir>] --out <cache-dir>
                        [--split train|val|test] [--blocks i,j] [--batch 32] [--size N] [--no-patches]
                        [--workers N|auto] [--precision auto|fp32|int8] [--json]
Extracts CLS [N,D] (float32) and patch tokens [N,T,D] (float16) of every split (or --split) into
<cache-dir>/<key>/{cls,patches,block-<i>}.npy + meta.json (see docs/eval.md §1). Cached entries are reused (blocks
missing from an entry are added); an interrupted run resumes; a second process on the same entry waits for the first.
--workers: worker threads running an ONNX encoder, 1 ONNX Runtime thread each (default auto: 2 for small models).
--precision: our ViTs on ONNX Runtime run fp32 or int8 (integer block linears; docs/bench.md §int8); default
${DEFAULT_ENCODER_PRECISION}: auto = int8 for ViTs of width ≥ ${INT8_AUTO_MIN_DIM} (vit_tiny and larger), fp32 for narrower ones and
every other encoder; int8 on a CPU without VNNI / dot-product instructions falls back to fp32 with a note.
Prints one line per split: split, N, D, grid, key, folder.`;

export const featuresCommand: Command = {
  name: 'features',
  summary: 'extract frozen-encoder features of a dataset into the feature cache',
  usage,
  async run(argv) {
    const args = parseArgs(argv, {
      flags: {
        encoder: { type: 'string', required: true }, manifest: { type: 'string', required: true }, root: { type: 'string' },
        out: { type: 'string', required: true }, split: { type: 'string', choices: ['train', 'val', 'test'] },
        blocks: { type: 'string' }, batch: { type: 'number', integer: true, min: 1 }, size: { type: 'number', integer: true, min: 1 },
        'no-patches': { type: 'boolean' }, precision: { type: 'string', choices: [...ENCODER_PRECISIONS] }, workers: { type: 'string' }, json: { type: 'boolean' },
      },
    });
    // Checked before the encoder opens, so a typo costs no model load.
    const w = stringFlag(args, 'workers') ?? 'auto';
    const workers = w === 'auto' ? 'auto' : Number(w);
    if (workers !== 'auto' && !(Number.isInteger(workers) && workers >= 1)) throw new UsageError(`invalid --workers: ${w} (a positive integer or auto)`);
    const blocksStr = stringFlag(args, 'blocks');
    const blocks = blocksStr ? blocksStr.split(',').map((s) => {
      const b = Number(s);
      if (s.trim() === '' || !Number.isInteger(b) || b < 0) throw new UsageError(`invalid --blocks entry: ${s}`);
      return b;
    }) : undefined;
    const encoder = await openEncoder(requireFlag(args, 'encoder'), { inputSize: numberFlag(args, 'size'), precision: stringFlag(args, 'precision') });
    try {
      const manifest = requireFlag(args, 'manifest');
      const samples = await loadDataset(manifest, { root: stringFlag(args, 'root') });
      const split = stringFlag(args, 'split') as Split | undefined;
      const out = requireFlag(args, 'out');
      const results = [];
      for (const s of split ? [split] : (['train', 'val', 'test'] as Split[])) {
        let p: ReturnType<typeof progress> | undefined;
        let last = 0;
        const fs = await extractFeatures(encoder, samples, {
          split: s, blocks, batchSize: numberFlag(args, 'batch', 32), cacheDir: out, patches: args.flags['no-patches'] !== true,
          datasetKey: manifest, workers, onWait: (m) => console.error(m), onProgress: (done, total) => {
            p ??= progress({ total, label: `features ${samples.dataset}/${s}` });
            p.tick(done - last);
            last = done;
          },
        });
        p?.done();
        results.push({ split: s, n: fs.n, dim: fs.dim, grid: `${fs.gridH}x${fs.gridW}`, key: fs.key, dir: fs.dir });
      }
      if (args.flags.json) console.log(JSON.stringify(results));
      else for (const r of results) console.log(`${r.split}\t${r.n}\t${r.dim}\t${r.grid}\t${r.key}\t${r.dir}`);
      return 0;
    } finally {
      await encoder.dispose();
    }
  },
};
