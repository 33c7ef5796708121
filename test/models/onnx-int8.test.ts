/**
 * The int8 export (per-output-channel int8 weights, dynamic u8 activations on the block linears) against the fp32
 * export of the same weights: every CLS and patch token keeps cosine ≥ 0.999 to fp32, on the PyTorch parity fixtures
 * and on the embedded pretrained checkpoint (real, non-random weights) fed synthetic phantoms.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadSynthetic } from '../../lib/data/synthetic';
import { createOnnxEncoder } from '../../lib/features/onnx-encoder';
import { autoPrecision, exportViTToOnnx, INT8_AUTO_MIN_DIM, quantizeColumns, readOnnxMetadata } from '../../lib/models/onnx-export';
import { openEncoder } from '../../lib/features/open-encoder';
import { modelConfig } from '../../lib/models/registry';
import { loadViT } from '../../lib/models/weights';
import { resizeCrop } from '../../lib/pretrain/multi-crop';
import { FIXTURES, reference, useBackend } from './helpers';
import { onnx } from 'onnx-proto';

/** Smallest cosine over rows of length d (each CLS or patch token is one row). */
export function minRowCosine(a: Float32Array, b: Float32Array, d: number): number {
  let worst = 1;
  for (let r = 0; r < a.length / d; r++) {
    let ab = 0, aa = 0, bb = 0;
    for (let j = r * d; j < (r + 1) * d; j++) { ab += a[j] * b[j]; aa += a[j] * a[j]; bb += b[j] * b[j]; }
    worst = Math.min(worst, ab / Math.sqrt(aa * bb));
  }
  return worst;
}

const CHECKPOINT = path.join(__dirname, '..', '..', 'checkpoints', 'vit-nano-synthetic', 'model.safetensors');

describe('int8 ONNX export', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-int8-'));
  before(async () => { await useBackend(); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function pair(file: string, bytes: (p: 'fp32' | 'int8') => Uint8Array) {
    const out = [];
    for (const p of ['fp32', 'int8'] as const) {
      fs.writeFileSync(path.join(dir, `${file}-${p}.onnx`), bytes(p));
      out.push(await createOnnxEncoder({ path: path.join(dir, `${file}-${p}.onnx`), intraOpNumThreads: 1 }));
    }
    return out;
  }

  it('quantizeColumns: symmetric per column, |q| ≤ 127, the column max maps to ±127, error ≤ half a step', () => {
    const w = Float32Array.from([0.5, -2, 0, -0.25, 1, 0, 0.1, 0.3, 0]); // [3 rows, 3 columns]; column 2 is all zero
    const { q, scale } = quantizeColumns(w, 3, 3);
    assert.deepEqual([...scale].map((s) => +s.toFixed(6)), [+(0.5 / 127).toFixed(6), +(2 / 127).toFixed(6), 1]);
    assert.deepEqual([...q], [127, -127, 0, -64, 64, 0, 25, 19, 0]);
    for (let i = 0; i < 9; i++) assert.ok(Math.abs(q[i] * scale[i % 3] - w[i]) <= scale[i % 3] / 2 + 1e-7);
  });

  it('writes int8 initializers and integer ops only on the block linears, and records the precision', () => {
    const vit = loadViT(path.join(FIXTURES, 'A_dinov2.safetensors'), { format: 'dinov2', heads: 3 });
    const bytes = exportViTToOnnx(vit, { height: 42, width: 56, precision: 'int8' });
    const m = onnx.ModelProto.decode(bytes);
    const ops = m.graph!.node!.map((n) => n.opType);
    const depth = vit.config.depth;
    assert.equal(ops.filter((o) => o === 'MatMulInteger').length, depth * 4); // qkv (one, split after), proj, fc1, fc2
    assert.equal(ops.filter((o) => o === 'DynamicQuantizeLinear').length, depth * 4);
    assert.equal(ops.filter((o) => o === 'Split').length, depth);
    assert.equal(ops.filter((o) => o === 'Gemm').length, 0);
    assert.equal(ops.filter((o) => o === 'Conv').length, 1); // the patch embedding stays fp32
    const int8 = m.graph!.initializer!.filter((t) => t.dataType === onnx.TensorProto.DataType.INT8);
    assert.equal(int8.length, depth * 4);
    assert.deepEqual(int8.filter((t) => t.name === 'blocks.0.attn.qkv.weight_int8').map((t) => t.dims!.map(Number)), [[vit.config.dim, 3 * vit.config.dim]]);
    // fp32 keeps its three q, k, v Gemms (its graphs are unchanged by the int8 path)
    const fp32Ops = onnx.ModelProto.decode(exportViTToOnnx(vit, { height: 42, width: 56 })).graph!.node!.map((n) => n.opType);
    assert.equal(fp32Ops.filter((o) => o === 'Gemm').length, depth * 6);
    assert.equal(JSON.parse(readOnnxMetadata(bytes).raydino).precision, 'int8');
    // fp32 graphs stay byte-identical to those written before the int8 path (no precision key in the metadata)
    assert.equal(JSON.parse(readOnnxMetadata(exportViTToOnnx(vit, { height: 42, width: 56 })).raydino).precision, undefined);
    assert.throws(() => exportViTToOnnx(vit, { height: 42, width: 56, precision: 'int4' as never }), /unknown precision int4 \(fp32 or int8\)/);
    vit.dispose();
  });

  const cases = [
    { model: 'A', format: 'dinov2' as const, heads: 3, h: 42, w: 56 },
    { model: 'B', format: 'hf' as const, heads: 4, h: 48, w: 96 },
  ];
  for (const k of cases) {
    it(`parity fixture ${k.model} (${k.format}) at ${k.h}x${k.w}: CLS, patch, every block's tokens and the CLS attention cosine ≥ 0.999 to fp32, CLS also to PyTorch`, async () => {
      const vit = loadViT(path.join(FIXTURES, `${k.model}_${k.format}.safetensors`), { format: k.format, heads: k.heads });
      // all blocks and the last block's CLS attention as outputs, as the cached extraction graphs have them
      const blocks = Array.from({ length: vit.config.depth }, (_, i) => i);
      const [f32, i8] = await pair(k.model, (p) => exportViTToOnnx(vit, { height: k.h, width: k.w, precision: p, blocks, attention: true }));
      assert.equal(i8.precision, 'int8');
      assert.equal(f32.precision, 'fp32');
      const x = reference(`${k.model}/${k.h}x${k.w}/x`);
      const a = await f32.embed(x.data, 2, { blocks, attention: true }), b = await i8.embed(x.data, 2, { blocks, attention: true });
      const cls = minRowCosine(b.cls, a.cls, a.dim), patches = minRowCosine(b.patches, a.patches, a.dim);
      assert.ok(cls >= 0.999, `cls cosine ${cls}`);
      assert.ok(patches >= 0.999, `patch cosine ${patches}`);
      // and against PyTorch itself
      const torchCls = reference(`${k.model}/${k.h}x${k.w}/${k.format}/cls`).data as Float32Array;
      assert.ok(minRowCosine(b.cls, torchCls, a.dim) >= 0.999, `cls cosine to PyTorch ${minRowCosine(b.cls, torchCls, a.dim)}`);
      for (const blk of blocks) {
        const c = minRowCosine(b.blocks!.get(blk)!, a.blocks!.get(blk)!, a.dim);
        assert.ok(c >= 0.999, `block ${blk} cosine ${c}`);
      }
      assert.ok(minRowCosine(b.attention!, a.attention!, b.gridH * b.gridW) >= 0.999, 'attention');
      assert.ok(cls < 1 - 1e-7 || patches < 1 - 1e-7, 'int8 output identical to fp32: the integer path did not run');
      await Promise.all([f32.dispose(), i8.dispose()]);
      vit.dispose();
    });
  }

  it('embedded checkpoint vit-nano-synthetic on 64 phantoms at 64 px: CLS and patch tokens cosine ≥ 0.999 to fp32', async function () {
    this.timeout(240000);
    const vit = loadViT(CHECKPOINT);
    const [f32, i8] = await pair('nano', (p) => exportViTToOnnx(vit, { height: 64, width: 64, precision: p }));
    const table = await loadSynthetic({ variant: 'cxr', n: 64, size: 128, seed: 4242, splits: [1, 0, 0], name: 'int8-parity' });
    const ids = (table.table.objects() as Array<{ id: string }>).map((r) => r.id);
    const px = new Float32Array(ids.length * 64 * 64);
    for (let i = 0; i < ids.length; i++) {
      const img = await table.loadImage(ids[i]);
      const r = resizeCrop(img, { top: 0, left: 0, h: img.height, w: img.width }, 64);
      for (let j = 0; j < r.length; j++) px[i * r.length + j] = (r[j] - vit.config.mean[0]) / vit.config.std[0];
    }
    const a = await f32.embed(px, ids.length), b = await i8.embed(px, ids.length);
    const cls = minRowCosine(b.cls, a.cls, a.dim), patches = minRowCosine(b.patches, a.patches, a.dim);
    assert.ok(cls >= 0.999, `cls cosine ${cls}`);
    assert.ok(patches >= 0.999, `patch cosine ${patches}`);
    console.log(`      vit-nano-synthetic int8 vs fp32: min CLS cosine ${cls.toFixed(5)}, min patch cosine ${patches.toFixed(5)}`);
    await Promise.all([f32.dispose(), i8.dispose()]);
    vit.dispose();
  });
  describe("precision 'auto' (the default)", () => {
    const saved = { cache: process.env.RAYDINO_ONNX_CACHE, flags: process.env.RAYDINO_CPU_FLAGS };
    before(() => { process.env.RAYDINO_ONNX_CACHE = path.join(dir, 'cache'); });
    after(() => {
      for (const [k, v] of [['RAYDINO_ONNX_CACHE', saved.cache], ['RAYDINO_CPU_FLAGS', saved.flags]] as const) {
        if (v === undefined) delete process.env[k]; else process.env[k] = v;
      }
    });

    it('autoPrecision: int8 from vit_tiny up, fp32 for the narrow CPU ViTs (the embedded checkpoints stay fp32)', () => {
      assert.equal(INT8_AUTO_MIN_DIM, 192);
      assert.deepEqual(['vit_nano', 'vit_micro', 'vit_tiny', 'vit_small', 'vit_base', 'vit_large'].map((n) => autoPrecision(modelConfig(n))),
        ['fp32', 'fp32', 'int8', 'int8', 'int8', 'int8']);
      for (const file of [CHECKPOINT, path.join(__dirname, '..', '..', 'checkpoints', 'vit-micro-synthetic', 'model.safetensors')]) {
        const vit = loadViT(file);
        assert.equal(autoPrecision(vit.config), 'fp32', file);
        vit.dispose();
      }
    });

    it('openEncoder resolves auto per model, records the resolved precision, and falls back with a note without VNNI', async function () {
      this.timeout(120000);
      process.env.RAYDINO_CPU_FLAGS = 'avx512_vnni';
      const nano = await openEncoder('random:vit_nano:1');
      assert.equal(nano.precision, 'fp32');
      await nano.dispose();
      const small = await openEncoder('random:vit_small:1', { inputSize: 32 });
      assert.equal(small.precision, 'int8');
      await small.dispose();
      const rp = await openEncoder('randproj:8:1');
      assert.equal(rp.precision ?? 'fp32', 'fp32');
      await assert.rejects(openEncoder('randproj:8:1', { precision: 'int8' }), /encoder randproj:8:1 cannot run precision int8: it supports fp32, auto/);
      await assert.rejects(openEncoder('random:vit_nano', { precision: 'int4' }), /invalid precision for encoder random:vit_nano: int4 \(auto, fp32, int8\)/);
      process.env.RAYDINO_CPU_FLAGS = 'avx2 fma';
      const notes: string[] = [];
      const err = console.error;
      console.error = (m: string) => { notes.push(String(m)); };
      try {
        const fallback = await openEncoder('random:vit_small:1', { inputSize: 32 });
        assert.equal(fallback.precision, 'fp32');
        await fallback.dispose();
      } finally {
        console.error = err;
      }
      assert.equal(notes.length, 1);
      assert.match(notes[0], /no VNNI .* running fp32 \(precision auto\)/);
    });
  });
});
