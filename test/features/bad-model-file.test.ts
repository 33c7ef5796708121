/** Damaged model files — given by path or found in the ONNX export cache — fail naming the file and what to do. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../../lib/engine/backend';
import { checkEncoderSpec, openEncoder } from '../../lib/features/open-encoder';
import { createVitOnnxEncoder, exportedGraph } from '../../lib/features/vit-onnx-encoder';
import { checkSafetensorsFile, readSafetensors } from '../../lib/io/safetensors';
import { exportViTToOnnx } from '../../lib/models/onnx-export';
import { ViT } from '../../lib/models/vit';
import { saveViT } from '../../lib/models/weights';

const tinyConfig = { name: 'tiny', imgSize: 16, patchSize: 8, inChans: 1 as const, dim: 8, depth: 2, heads: 2, mlpHidden: 16, numRegisters: 0, mean: [0.5], std: [0.25] };

describe('damaged model files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-badmodel-'));
  const file = (name: string) => path.join(dir, name);
  let vit: ViT;
  before(async () => {
    await initBackend();
    vit = new ViT(tinyConfig, 0);
    const onnx = exportViTToOnnx(vit, { height: 16, width: 16 });
    fs.writeFileSync(file('ok.onnx'), onnx);
    fs.writeFileSync(file('half.onnx'), onnx.subarray(0, onnx.length >> 1));
    fs.writeFileSync(file('text.onnx'), 'hello, not a model');
    saveViT(vit, file('ok.safetensors'));
    const st = fs.readFileSync(file('ok.safetensors'));
    fs.writeFileSync(file('half.safetensors'), st.subarray(0, st.length >> 1));
    fs.writeFileSync(file('text.safetensors'), 'hello, not a model');
  });
  after(() => { vit.dispose(); fs.rmSync(dir, { recursive: true, force: true }); });

  it('a truncated or foreign .onnx names the file and says to export or download it again', async () => {
    for (const f of ['half.onnx', 'text.onnx']) {
      await assert.rejects(openEncoder(file(f)), (e: Error) => e.message.startsWith(`${file(f)}: not a readable ONNX model (`) && /exported or downloaded again$/.test(e.message));
      assert.throws(() => checkEncoderSpec(file(f)), (e: Error) => e.message.startsWith(`${file(f)}: not a readable ONNX model`));
    }
    const ok = await openEncoder(file('ok.onnx'));
    await ok.dispose();
    assert.equal(checkEncoderSpec(file('ok.onnx')), file('ok.onnx'));
  });

  it('a truncated or foreign .safetensors names the file, the defect and what to do; the header check sees it without reading tensors', async () => {
    const truncated = new RegExp(`^Error: ${file('half.safetensors')}: tensor \\S+ ends at byte \\d+ but the file has \\d+ bytes \\(truncated\\): the file is damaged or not safetensors; copy, save or download it again$`);
    await assert.rejects(openEncoder(file('half.safetensors')), truncated);
    assert.throws(() => readSafetensors(file('half.safetensors')), truncated);
    assert.throws(() => checkSafetensorsFile(file('half.safetensors')), truncated);
    assert.throws(() => checkSafetensorsFile(file('text.safetensors')), (e: Error) => e.message.startsWith(`${file('text.safetensors')}: not a safetensors file (header length`));
    assert.doesNotThrow(() => checkSafetensorsFile(file('ok.safetensors')));
  });

  it('a damaged entry of the ONNX export cache is exported again (note on stderr) and the encoder works', async () => {
    const cacheDir = path.join(dir, 'cache');
    const first = await createVitOnnxEncoder(vit, { cacheDir });
    const x = Float32Array.from({ length: 16 * 16 }, (_, i) => Math.sin(i));
    const want = (await first.embed(x, 1)).cls;
    await first.dispose();
    const cached = exportedGraph(vit, { cacheDir });
    const size = fs.statSync(cached).size;
    fs.truncateSync(cached, size >> 1);
    const notes: string[] = [];
    const orig = console.error;
    console.error = (m: string) => { notes.push(m); };
    let again;
    try { again = await createVitOnnxEncoder(vit, { cacheDir }); } finally { console.error = orig; }
    assert.equal(notes.length, 1);
    assert.ok(notes[0].startsWith(`note: cached ONNX export ${cached} is damaged (`), notes[0]);
    assert.equal(fs.statSync(cached).size, size);
    assert.deepEqual((await again.embed(x, 1)).cls, want);
    await again.dispose();
  });
});
