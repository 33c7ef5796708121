/**
 * Where the time of an exported ViT goes, per operator type, from ONNX Runtime's own profiler (issue 17 item 3;
 * docs/bench.md §int8). Exports the ViT (random init, seed 0) at one precision, runs one warm-up call and `--runs` profiled
 * calls in a session configured like lib/features/onnx-encoder (CPU provider, graph optimisation 'all', 2 intra-op
 * threads, no spinning), and prints one JSON object: per op type (after ORT's fusions: MatMulIntegerToFloat,
 * DynamicQuantizeMatMul, Gelu, SkipLayerNormalization, …) the summed kernel time, its share of all kernel time and the
 * node count. Shares, not absolute times, are what survive a loaded machine.
 *   npx ts-node --transpile-only scripts/onnx-profile.ts [--model vit_small] [--size 224] [--batch 8] [--precision int8] [--runs 3]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as ortTypes from 'onnxruntime-node';
import { initBackend } from '../lib/engine/backend';
import { createRng } from '../lib/engine/rng';
import type { OnnxPrecision } from '../lib/config/encoder-precision';
import { exportViTToOnnx } from '../lib/models/onnx-export';
import { createViT } from '../lib/models/registry';

interface ProfileEvent { cat: string; name: string; dur: number; ts: number; args?: { op_name?: string } }

/** Kernel time per op type over the node events that start after `after` µs (skips the warm-up call). */
export function opShares(events: ProfileEvent[], after: number): Array<{ op: string; ms: number; share: number; nodes: number }> {
  const by = new Map<string, { us: number; names: Set<string> }>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < after || !e.args?.op_name) continue;
    const r = by.get(e.args.op_name) ?? { us: 0, names: new Set<string>() };
    r.us += e.dur;
    r.names.add(e.name);
    by.set(e.args.op_name, r);
  }
  const total = [...by.values()].reduce((s, r) => s + r.us, 0);
  return [...by.entries()].map(([op, r]) => ({ op, ms: r.us / 1000, share: r.us / total, nodes: r.names.size }))
    .sort((a, b) => b.ms - a.ms);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (k: string, d: string) => (argv.includes(`--${k}`) ? argv[argv.indexOf(`--${k}`) + 1] : d);
  const model = arg('model', 'vit_small'), size = Number(arg('size', '224')), batch = Number(arg('batch', '8'));
  const precision = arg('precision', 'int8') as OnnxPrecision, runs = Number(arg('runs', '3'));
  await initBackend();
  const vit = createViT(model, {}, 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-onnx-profile-'));
  const bytes = exportViTToOnnx(vit, { height: size, width: size, channels: vit.config.inChans as 1 | 3, precision });
  vit.dispose();
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ort: typeof ortTypes = require('onnxruntime-node');
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'], intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: 'all',
    enableProfiling: true, profileFilePrefix: path.join(dir, 'profile'),
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const rng = createRng(1);
  const C = vit.config.inChans;
  const px = new ort.Tensor('float32', Float32Array.from({ length: batch * C * size * size }, () => rng.normal()), [batch, C, size, size]);
  const t0 = Date.now();
  await session.run({ pixels: px });
  const warm = Date.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) { const t = Date.now(); await session.run({ pixels: px }); times.push(Date.now() - t); }
  session.endProfiling();
  await session.release();
  const file = fs.readdirSync(dir).filter((f) => f.startsWith('profile') && f.endsWith('.json')).map((f) => path.join(dir, f))[0];
  if (!file) throw new Error(`no profile written under ${dir}`);
  const events = JSON.parse(fs.readFileSync(file, 'utf8')) as ProfileEvent[];
  const runEvents = events.filter((e) => e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  const after = runEvents.length > 1 ? runEvents[0].ts + runEvents[0].dur : 0;
  const ops = opShares(events, after);
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({
    model, size, batch, precision, runs, load: os.loadavg()[0], warm_ms: warm, run_ms: times,
    img_s_best: batch / (Math.min(...times) / 1000),
    ops: ops.map((o) => ({ op: o.op, ms_per_run: Math.round((o.ms / runs) * 10) / 10, share: Math.round(o.share * 1000) / 1000, nodes: o.nodes })),
  }, null, 1));
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
