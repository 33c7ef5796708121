import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SessionEncoder } from '../../lib/session/encoders';
import { initBackend } from '../../lib/engine/backend';
import { encodersWithParams } from '../../lib/session/encoder-params';
import { configPopulations } from '../../lib/session/encoders';
import { createViT, modelParams } from '../../lib/models/registry';

/** ViT parameter count by hand (dinov2 layout: patch embed, cls, pos, mask token; per block 2 norms, qkv, proj, 2 LayerScales, MLP; final norm). */
function vitParams(dim: number, depth: number, mlp: number, patch: number, chans: number, tokens: number): number {
  const block = 2 * 2 * dim + (dim * 3 * dim + 3 * dim) + (dim * dim + dim) + 2 * dim + (dim * mlp + mlp) + (mlp * dim + dim);
  // patch embed (w + b), cls token, mask token, pos embed (cls + patches), blocks, final norm
  return patch * patch * chans * dim + dim + dim + dim + (tokens + 1) * dim + depth * block + 2 * dim;
}

const enc = (name: string, kind: SessionEncoder['kind'], arch: string, params?: number, populations?: string[]): SessionEncoder =>
  ({ name, spec: name, kind, arch, params, populations });

describe('modelParams', () => {
  before(async () => { await initBackend(); });
  it('counts the registry ViTs as the hand formula (vit_nano 96/4/3, vit_micro 128/6/4, 8-px patches at 64 px, grey) and as a built model', () => {
    const nano = modelParams('vit_nano'), micro = modelParams('vit_micro');
    const hand = [vitParams(96, 4, 384, 8, 1, 64), vitParams(128, 6, 512, 8, 1, 64)];
    assert.deepEqual([nano, micro], hand);
    assert.equal(nano, 460992);
    const vit = createViT('vit_micro', {}, 0);
    try { assert.equal(vit.numParams, micro); } finally { vit.dispose(); }
  });
});

describe('configPopulations / encodersWithParams', () => {
  it('reads data.populations or data.population from config.json', () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-'));
    assert.equal(configPopulations(d), undefined);
    fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify({ data: { population: 'popA' } }));
    assert.deepEqual(configPopulations(d), ['popA']);
    fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify({ data: { populations: ['popA', 'popC'] } }));
    assert.deepEqual(configPopulations(d), ['popA', 'popC']);
    fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify({ data: { populations: [] } }));
    assert.equal(configPopulations(d), undefined);
  });
  it('fills params from the architecture, keeping given ones', async () => {
    await initBackend();
    const [a, b] = encodersWithParams([enc('a', 'random', 'vit_nano'), enc('b', 'ssl', 'vit_nano', 7)]);
    assert.equal(a.params, modelParams('vit_nano'));
    assert.equal(b.params, 7);
  });
});
