import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { BackendInfo } from '../../lib/engine/backend';
import { collectProvenance, gitState, projectRoot, provenanceLine } from '../../lib/engine/provenance';

const wasm: BackendInfo = {
  name: 'wasm', simd: true, threads: 1, package: '@tensorflow/tfjs-backend-wasm', tfjsVersion: '4.22.0', source: 'auto',
  tried: [{ name: 'tensorflow', ok: false, reason: 'absent' }, { name: 'wasm', ok: true }],
};

describe('provenance', () => {
  it('finds the project root', () => {
    const root = projectRoot();
    assert.equal(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).name, 'raydino-lab');
  });

  it('collects versions, backend, profile, commit and a fixed date', async () => {
    const p = await collectProvenance({ backend: wasm, workers: 2, profile: 'full', now: () => new Date('2026-01-02T03:04:05Z') });
    assert.equal(p.package, 'raydino-lab');
    assert.equal(p.profile, 'full');
    assert.equal(p.backend, 'wasm');
    assert.equal(p.backendDetail, 'wasm (SIMD, 1 thread, tensorflow skipped)');
    assert.equal(p.workers, 2);
    assert.equal(p.tfjs, require('@tensorflow/tfjs-core/package.json').version);
    assert.equal(p.ort, require('onnxruntime-node/package.json').version);
    assert.equal(p.node, process.version);
    assert.equal(p.date, '2026-01-02T03:04:05.000Z');
    const git = gitState();
    assert.equal(p.commit, git.commit);
    if (git.commit !== null) assert.match(git.commit, /^[0-9a-f]{7,}$/);
    const line = provenanceLine(p);
    assert.match(line, /^raydino-lab \d+\.\d+\.\d+ · profile full · backend wasm \(SIMD, 1 thread, tensorflow skipped\) · 2 workers · tfjs 4\.\d+\.\d+ · ort /);
    assert.ok(line.endsWith('· 2026-01-02 03:04:05Z'));
    assert.ok(line.includes(`commit ${p.commit ?? 'none'}${p.dirty ? '+dirty' : ''}`));
  });

  it('gitState outside a repository is null, not an error', () => {
    assert.deepEqual(gitState('/'), { commit: null, dirty: false });
  });
});
