/**
 * Rendering: determinism, plausible masks, boxes where the finding is drawn, population shift.
 */
import { strict as assert } from 'assert';
import { createRng } from '../../../lib/engine/rng';
import { RIB_NAMES } from '../../../lib/data/synthetic/catalogue';
import { generatePhantom, Phantom } from '../../../lib/data/synthetic/phantom';
import { PhantomSpec, samplePhantomSpec, SpecOptions } from '../../../lib/data/synthetic/spec';

const SIZE = 112;
const render = (spec: PhantomSpec, size = SIZE) => generatePhantom(spec, createRng(spec.seed), { size });
const spec = (seed: number, o: SpecOptions = {}) => samplePhantomSpec(createRng(seed), o);
const area = (m: Uint8Array | undefined) => (m ? m.reduce((a, b) => a + b, 0) : 0);

describe('generatePhantom', () => {
  it('gives the same bytes for the same spec and seed, different bytes for another seed', () => {
    const s = spec(1, { findings: ['Nodule', 'Support Devices'] });
    const a = render(s), b = render(s);
    assert.deepEqual(Buffer.from(a.image.data.buffer), Buffer.from(b.image.data.buffer));
    const c = render(spec(2, { findings: ['Nodule', 'Support Devices'] }));
    let diff = 0;
    for (let i = 0; i < a.image.data.length; i++) diff += Math.abs(a.image.data[i] - c.image.data[i]);
    assert.ok(diff / a.image.data.length > 0.01);
    // values are 8-bit quantised in [0, 1]
    for (const v of a.image.data) assert.ok(v >= 0 && v <= 1 && Math.abs(v * 255 - Math.round(v * 255)) < 1e-4);
  });

  it('looks like a radiograph: dark lungs, bright bone and mediastinum, black air outside the body', () => {
    for (let k = 0; k < 5; k++) {
      const ph = render(spec(10 + k, { findings: [], population: 'popA' }));
      const mean = (m: Uint8Array | undefined, invert = false) => {
        let s = 0, n = 0;
        for (let i = 0; i < ph.image.data.length; i++) if (m && (invert ? !m[i] : m[i])) { s += ph.image.data[i]; n++; }
        return s / Math.max(1, n);
      };
      const lungs = mean(ph.masks.get('right_lung')), heart = mean(ph.masks.get('heart'));
      const clav = mean(ph.masks.get('right_clavicle')), outside = mean(ph.masks.get('body'), true);
      assert.ok(lungs < heart - 0.2, `lungs ${lungs} vs heart ${heart}`);
      assert.ok(clav > lungs + 0.15, `clavicle ${clav} lungs ${lungs} heart ${heart} outside ${outside}`);
      assert.ok(outside < 0.15, `outside body ${outside}`);
    }
  });

  it('has plausible mask areas: lungs > heart > nodule, ribs and lungs inside the body', () => {
    for (let k = 0; k < 6; k++) {
      const ph = render(spec(20 + k, { findings: ['Nodule'] }));
      const N = SIZE * SIZE;
      const lung = area(ph.masks.get('right_lung')) + area(ph.masks.get('left_lung'));
      const heart = area(ph.masks.get('heart')), nod = area(ph.masks.get('Nodule'));
      assert.ok(lung > 0.2 * N && lung < 0.5 * N, `lung area ${lung / N}`);
      assert.ok(heart > 0.04 * N && heart < lung / 2, `heart area ${heart / N}`);
      assert.ok(nod > 0 && nod < heart / 4, `nodule area ${nod}`);
      const body = ph.masks.get('body')!;
      for (const name of [...RIB_NAMES, 'right_lung', 'left_lung', 'heart']) {
        const m = ph.masks.get(name)!;
        assert.ok(area(m) > 0, `${name} drawn`);
        let outside = 0;
        for (let i = 0; i < N; i++) if (m[i] && !body[i]) outside++;
        assert.ok(outside <= 0.02 * area(m), `${name}: ${outside} px outside the body`);
      }
      // lungs exclude the heart
      const h = ph.masks.get('heart')!, l = ph.masks.get('left_lung')!;
      let overlap = 0;
      for (let i = 0; i < N; i++) if (h[i] && l[i]) overlap++;
      assert.equal(overlap, 0);
    }
  });

  it('puts every box inside the image and over the pixels its finding changed', () => {
    const names = ['Effusion', 'Pneumothorax', 'Nodule', 'Mass', 'Consolidation', 'Atelectasis', 'Cardiomegaly', 'Edema',
      'Pleural Thickening', 'Fracture', 'Calcification', 'Hernia', 'Support Devices'];
    for (const name of names) {
      for (let k = 0; k < 3; k++) {
        const s = spec(100 + k, { findings: [name], population: 'popA' });
        const with_ = render(s);
        const without = render({ ...s, findings: [], devices: [] });
        const boxes = with_.boxes.filter((b) => b.label === name);
        assert.ok(boxes.length >= 1, `${name}: has a box`);
        for (const b of boxes) assert.ok(b.x >= 0 && b.y >= 0 && b.w > 0 && b.h > 0 && b.x + b.w <= SIZE && b.y + b.h <= SIZE, `${name} box ${JSON.stringify(b)}`);
        let inside = 0, total = 0;
        for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) {
          const d = Math.abs(with_.image.data[y * SIZE + x] - without.image.data[y * SIZE + x]);
          if (d < 0.02) continue;
          total += d;
          if (boxes.some((b) => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h)) inside += d;
        }
        assert.ok(total > 0, `${name}: the finding changes the image`);
        assert.ok(inside / total > 0.85, `${name} seed ${k}: ${(100 * inside / total).toFixed(0)}% of the change inside its box`);
      }
    }
  });

  it('draws emphysema as hyperlucent lungs with lower domes', () => {
    for (let k = 0; k < 3; k++) {
      const s = spec(200 + k, { findings: ['Emphysema'] });
      const e = render(s), n = render({ ...s, findings: [] });
      const meanLung = (ph: Phantom) => {
        const m = ph.masks.get('right_lung')!;
        let t = 0, c = 0;
        for (let i = 0; i < m.length; i++) if (m[i]) { t += ph.image.data[i]; c++; }
        return { mean: t / c, area: c };
      };
      assert.ok(meanLung(e).mean < meanLung(n).mean - 0.02);
      assert.ok(meanLung(e).area > meanLung(n).area);
    }
  });

  it('enlarges the heart beyond CTR 0.5 for cardiomegaly', () => {
    const s = spec(300, { findings: ['Cardiomegaly'], view: 'PA' });
    const ph = render(s, 224);
    const heart = ph.masks.get('heart')!, rl = ph.masks.get('right_lung')!, ll = ph.masks.get('left_lung')!;
    const extent = (m: Uint8Array, pred: (x: number) => boolean) => {
      let lo = Infinity, hi = -Infinity;
      for (let i = 0; i < m.length; i++) if (m[i] && pred(i % 224)) { lo = Math.min(lo, i % 224); hi = Math.max(hi, i % 224); }
      return [lo, hi];
    };
    const [h0, h1] = extent(heart, () => true);
    const [t0] = extent(rl, () => true), [, t1] = extent(ll, () => true);
    const ctr = (h1 - h0 + 1) / (t1 - t0 + 1);
    assert.ok(ctr > 0.5, `measured CTR ${ctr.toFixed(3)} (drawn ${s.findings[0].p.ctr.toFixed(3)})`);
    assert.ok(Math.abs(ctr - s.findings[0].p.ctr) < 0.05);
  });

  it('makes populations measurably different (intensity, noise, collimation)', () => {
    const stats = (pop: string) => {
      let mean = 0, hf = 0;
      const n = 12;
      for (let k = 0; k < n; k++) {
        const ph = render(spec(400 + k, { population: pop, findings: [] }));
        const d = ph.image.data;
        let s = 0, h = 0;
        for (let i = 0; i < d.length; i++) s += d[i];
        // high-frequency energy in the abdomen (smooth anatomy there, so this is mostly detector noise)
        for (let y = Math.round(0.85 * SIZE); y < SIZE - 2; y++) for (let x = Math.round(0.35 * SIZE); x < Math.round(0.65 * SIZE); x++) {
          const o = y * SIZE + x;
          h += Math.abs(2 * d[o] - d[o - 1] - d[o + 1]);
        }
        mean += s / d.length / n; hf += h / n;
      }
      return { mean, hf };
    };
    const a = stats('popA'), b = stats('popB'), c = stats('popC');
    assert.ok(b.hf > 1.5 * a.hf, `popB noisier: ${b.hf} vs ${a.hf}`);
    assert.ok(Math.abs(b.mean - a.mean) > 0.03, `mean intensity A ${a.mean} B ${b.mean}`);
    assert.ok(Math.abs(c.mean - a.mean) > 0.01 || Math.abs(c.hf - a.hf) > 0.2 * a.hf, 'popC differs from popA');
  });

  it('draws the brace at the neck when the cue is on', () => {
    const s = spec(500, { findings: ['Fracture'], brace: true });
    const on = render(s), off = render({ ...s, brace: false });
    const bb = on.meta.braceBox!;
    assert.ok(bb && bb.y < 0.15 * SIZE);
    let d = 0;
    for (let y = bb.y; y < bb.y + bb.h; y++) for (let x = bb.x; x < bb.x + bb.w; x++) d += Math.abs(on.image.data[y * SIZE + x] - off.image.data[y * SIZE + x]);
    assert.ok(d / (bb.w * bb.h) > 0.05);
  });

  it('renders covid3 classes with class-specific opacities', () => {
    for (const cls of [1, 2]) {
      const s = spec(600 + cls, { variant: 'covid3', classIndex: cls });
      const ph = render(s);
      const n = render({ ...s, findings: [] });
      let d = 0;
      for (let i = 0; i < ph.image.data.length; i++) d += Math.abs(ph.image.data[i] - n.image.data[i]);
      assert.ok(d > 15, `class ${cls} changes the image (${d.toFixed(1)})`);
      assert.ok(ph.boxes.length >= 1);
    }
  });
});
