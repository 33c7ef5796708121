import assert from 'assert';
import { loadDataset } from '../../lib/data/load';
import { checkDataset } from '../../lib/data/check';
import { realSetOrSkip } from './helpers/real-set';

describe('real sets (optional: ../shared/data/real or RAYDINO_DATA_ROOT)', () => {
  describe('covid-chestxray', () => {
    before(function () { realSetOrSkip(this, 'covid-chestxray'); });
    it('loads 396 frontal X-rays of 232 patients with 3 classes, masks for 321', async () => {
      const ds = await loadDataset('covid-chestxray');
      const t = ds.table;
      assert.strictEqual(t.numRows(), 396);
      assert.strictEqual(new Set(t.array('patient') as string[]).size, 232);
      assert.deepStrictEqual(ds.classNames, ['covid', 'pneumonia', 'normal']);
      const cls = t.array('class') as number[];
      const counts = [0, 0, 0];
      let none = 0;
      for (const c of cls) if (Number.isNaN(c)) none++; else counts[c]++;
      assert.deepStrictEqual(counts, [321, 57, 15]);
      assert.strictEqual(none, 3); // ARDS alone: 'other'
      const views = new Set(t.array('view') as string[]);
      assert.deepStrictEqual([...views].sort(), ['AP', 'AP Supine', 'PA']);
      const sex = t.array('sex') as (string | null)[];
      assert.strictEqual(sex.filter((s) => s === 'F').length, 139);
      assert.strictEqual(sex.filter((s) => s === 'M').length, 226);
      assert.strictEqual((t.array('age') as (number | null)[]).filter((a) => a !== null).length, 293);
      assert.strictEqual((t.array('has_lung_mask') as number[]).filter((m) => m === 1).length, 321);
      assert.deepStrictEqual(ds.maskClasses, ['lungs']);
      assert.strictEqual(new Set(ds.boxes!.map((b) => b.id)).size, 99);
      const scored = (t.array('geographic_mean') as number[]).filter((v) => Number.isFinite(v)).length;
      assert.strictEqual(scored, 62);
      // images.csv + upstream metadata.csv: the notes of 311 images, matched through source_filename
      assert.strictEqual((t.array('clinical_notes') as (string | null)[]).filter((v) => v !== null).length, 311);
      assert.strictEqual(ds.problems.length, 0);
    });

    it('decodes an image and its lung mask at the same size', async () => {
      const ds = await loadDataset('covid-chestxray');
      const id = 'nejmc2001573_f1a';
      const img = await ds.loadImage(id);
      assert.deepStrictEqual([img.width, img.height], [512, 396]);
      const [mask] = await ds.loadMasks!(id);
      assert.ok(mask);
      assert.strictEqual(mask!.length, 512 * 396);
      const frac = mask!.reduce((a, b) => a + b, 0) / mask!.length;
      assert.ok(frac > 0.1 && frac < 0.6, `lung fraction ${frac}`);
      // an image without a V7 mask returns null
      const noMask = (ds.table.objects() as { id: string; has_lung_mask: number }[]).find((r) => r.has_lung_mask === 0)!;
      assert.deepStrictEqual(await ds.loadMasks!(noMask.id), [null]);
    });

    it('keeps known duplicate patients in one split', async () => {
      const ds = await loadDataset('covid-chestxray');
      const rows = ds.table.objects() as { patient: string; split: string }[];
      const splitOf = new Map(rows.map((r) => [r.patient, r.split]));
      for (const [a, b] of [['78', '201'], ['97', '178']]) assert.strictEqual(splitOf.get(a), splitOf.get(b));
    });
  });

  describe('nih-chestxray14-sample', () => {
    before(function () { realSetOrSkip(this, 'nih-chestxray14-sample'); });
    it('loads 436 images, 14 labels, age, sex, view and 8 boxes', async () => {
      const ds = await loadDataset('nih-chestxray14-sample');
      const t = ds.table;
      assert.strictEqual(t.numRows(), 436);
      assert.strictEqual(new Set(t.array('patient') as string[]).size, 436);
      assert.strictEqual(ds.labelNames.length, 14);
      const pos = (l: string) => (t.array(l) as number[]).filter((v) => v === 1).length;
      assert.strictEqual(pos('Infiltration'), 86);
      assert.strictEqual(pos('Atelectasis'), 69);
      assert.strictEqual(pos('Edema'), 14);
      assert.strictEqual(pos('Hernia'), 15);
      const noFinding = (t.array('finding_labels') as string[]).filter((f) => f === 'No Finding').length;
      assert.strictEqual(noFinding, 71);
      const sex = t.array('sex') as string[];
      assert.strictEqual(sex.filter((s) => s === 'F').length, 203);
      const views = t.array('view') as string[];
      assert.strictEqual(views.filter((v) => v === 'AP').length, 71);
      const ages = t.array('age') as number[];
      assert.deepStrictEqual([Math.min(...ages), Math.max(...ages)], [3, 86]);
      assert.strictEqual(ds.boxes!.length, 8);
      assert.strictEqual(new Set(ds.boxes!.map((b) => b.id)).size, 8);
      // 'Infiltrate' spelling mapped; coordinates scaled to the 512-px images (verbatim 169.04… × 0.5)
      assert.ok(ds.boxes!.some((b) => b.label === 'Infiltration'));
      const b = ds.boxes!.find((x) => x.id === '00013125_000')!;
      assert.ok(Math.abs(b.x - 84.52063) < 1e-3 && Math.abs(b.w - 331.03915) < 1e-3);
      for (const box of ds.boxes!) assert.ok(ds.labelNames.includes(box.label));
    });

    it('returns only the requested split, patient-disjoint', async () => {
      const [tr, va, te] = await Promise.all(['train', 'val', 'test'].map((s) => loadDataset('nih-chestxray14-sample', { split: s as 'train' })));
      assert.strictEqual(tr.table.numRows() + va.table.numRows() + te.table.numRows(), 436);
      assert.ok(Math.abs(tr.table.numRows() - 349) <= 1);
      const p = (d: typeof tr) => new Set(d.table.array('patient') as string[]);
      for (const x of p(va)) assert.ok(!p(tr).has(x) && !p(te).has(x));
    });
  });

  it('checkDataset decodes every image and finds no problems', async function () {
    this.timeout(60000);
    realSetOrSkip(this, 'nih-chestxray14-sample');
    const { report } = await checkDataset('nih-chestxray14-sample');
    assert.strictEqual(report.images, 436);
    assert.strictEqual(report.problems.length, 0);
    assert.deepStrictEqual(report.leakedPatients, []);
    assert.strictEqual(report.labels.Cardiomegaly.positive, 43);
  });
});
