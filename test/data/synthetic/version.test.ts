/**
 * Golden hash of a few small phantoms (images + masks). Caches are keyed by GENERATOR_VERSION, so any change to the
 * drawing must bump it: when this test fails after an intended change, bump GENERATOR_VERSION in options.ts and
 * update both constants below.
 */
import { strict as assert } from 'assert';
import { createHash } from 'crypto';
import { createRng } from '../../../lib/engine/rng';
import { GENERATOR_VERSION } from '../../../lib/data/synthetic/options';
import { generatePhantom } from '../../../lib/data/synthetic/phantom';
import { samplePhantomSpec, SpecOptions } from '../../../lib/data/synthetic/spec';

const EXPECTED_VERSION = 2;
const EXPECTED_HASH = '3ede905c215bc8728154d13f978ab9add4b95ba6';

describe('synthetic generator version', () => {
  it('matches the golden phantoms of this GENERATOR_VERSION', () => {
    const cases: [number, SpecOptions][] = [
      [1, { variant: 'cxr', findings: ['Effusion', 'Nodule', 'Support Devices'], brace: true }],
      [2, { variant: 'covid3', classIndex: 2 }],
      [3, { variant: 'spine' }],
      [4, { population: 'popB' }],
    ];
    const h = createHash('sha1');
    for (const [seed, o] of cases) {
      const s = samplePhantomSpec(createRng(seed), o);
      const ph = generatePhantom(s, createRng(s.seed), { size: 64 });
      h.update(Buffer.from(ph.image.data.buffer));
      for (const [k, m] of ph.masks) { h.update(k); h.update(m); }
    }
    assert.equal(GENERATOR_VERSION, EXPECTED_VERSION, 'GENERATOR_VERSION changed: update EXPECTED_VERSION and EXPECTED_HASH together');
    assert.equal(h.digest('hex'), EXPECTED_HASH, 'the drawing changed: bump GENERATOR_VERSION (stale caches) and update the hash');
  });
});
