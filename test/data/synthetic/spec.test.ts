/**
 * Label sampling (no rendering): long-tail prevalences, demographic shifts, site guidelines, planted cue.
 */
import { strict as assert } from 'assert';
import { createRng } from '../../../lib/engine/rng';
import { DEVICE_LABELS, FINDINGS, NO_FINDING } from '../../../lib/data/synthetic/catalogue';
import { frequencyBin } from '../../../lib/stats/macro';
import { resolveSyntheticOptions } from '../../../lib/data/synthetic/options';
import { PhantomSpec, samplePhantomSpec, SpecOptions } from '../../../lib/data/synthetic/spec';

function sample(n: number, seed: number, o: SpecOptions = {}): PhantomSpec[] {
  const root = createRng(seed);
  return Array.from({ length: n }, (_, i) => samplePhantomSpec(root.fork(i), o));
}
const rate = (specs: PhantomSpec[], f: (s: PhantomSpec) => boolean) => specs.filter(f).length / Math.max(1, specs.length);

describe('samplePhantomSpec', () => {
  const popA = sample(5000, 11, { population: 'popA' });

  it('is deterministic from the seed and differs across seeds', () => {
    assert.deepEqual(samplePhantomSpec(createRng(5)), samplePhantomSpec(createRng(5)));
    assert.notDeepEqual(samplePhantomSpec(createRng(5)), samplePhantomSpec(createRng(6)));
  });

  it('draws every finding at its target prevalence (n = 5000, within 4 sd)', () => {
    for (const def of FINDINGS) {
      const obs = rate(popA, (s) => s.truth[def.name] === 1);
      const sd = Math.sqrt((def.prevalence * (1 - def.prevalence)) / popA.length);
      assert.ok(Math.abs(obs - def.prevalence) < 4 * sd + 0.001, `${def.name}: observed ${obs.toFixed(4)} vs target ${def.prevalence}`);
    }
  });

  it('has a long tail: common, uncommon and rare findings', () => {
    const bins = FINDINGS.map((f) => frequencyBin(f.prevalence));
    assert.ok(bins.filter((b) => b === 'common').length >= 3);
    assert.ok(bins.filter((b) => b === 'uncommon').length >= 5);
    assert.ok(bins.filter((b) => b === 'rare').length >= 3);
  });

  it('sets No Finding exactly when no disease finding is present', () => {
    for (const s of popA.slice(0, 1000)) {
      const any = FINDINGS.some((f) => f.name !== 'Support Devices' && s.truth[f.name] === 1);
      assert.equal(s.truth[NO_FINDING], any ? 0 : 1);
    }
  });

  it('shifts prevalence with age and sex as designed', () => {
    const byBin = (bin: string, name: string) => rate(popA.filter((s) => s.ageBin === bin), (s) => s.truth[name] === 1);
    const bySex = (sex: string, name: string) => rate(popA.filter((s) => s.sex === sex), (s) => s.truth[name] === 1);
    assert.ok(byBin('Elder', 'Cardiomegaly') > 3 * byBin('Young', 'Cardiomegaly'), 'cardiomegaly rises with age');
    assert.ok(byBin('Elder', 'Effusion') > 2 * byBin('Young', 'Effusion'), 'effusion rises with age');
    assert.ok(byBin('Young', 'Pneumothorax') > 1.8 * byBin('Elder', 'Pneumothorax'), 'pneumothorax is a young disease');
    assert.ok(bySex('M', 'Emphysema') > 1.5 * bySex('F', 'Emphysema'), 'emphysema is more frequent in men');
  });

  it('shifts anatomy with sex and age (breast shadow, thorax size, bone density, heart)', () => {
    const f = popA.filter((s) => s.sex === 'F'), m = popA.filter((s) => s.sex === 'M');
    const mean = (xs: PhantomSpec[], g: (s: PhantomSpec) => number) => xs.reduce((a, s) => a + g(s), 0) / xs.length;
    assert.ok(mean(f, (s) => s.patient.anatomy.breast) > 0.5 && mean(m, (s) => s.patient.anatomy.breast) === 0);
    assert.ok(mean(m, (s) => s.patient.anatomy.thoraxHalf) > mean(f, (s) => s.patient.anatomy.thoraxHalf) + 0.01);
    const young = popA.filter((s) => s.ageBin === 'Young'), old = popA.filter((s) => s.ageBin === 'Elder');
    assert.ok(mean(old, (s) => s.patient.anatomy.boneDensity) < mean(young, (s) => s.patient.anatomy.boneDensity) - 0.15);
    assert.ok(mean(old, (s) => s.patient.anatomy.ctr) > mean(young, (s) => s.patient.anatomy.ctr) + 0.02);
    const ages = popA.map((s) => s.age);
    assert.ok(Math.min(...ages) >= 18 && Math.max(...ages) <= 95);
  });

  it('applies each site guideline: small effusions called in popA, not in popB', () => {
    const forced = (pop: string) => sample(400, 3, { population: pop, findings: ['Effusion'] });
    const small = (s: PhantomSpec) => s.findings[0].p.height < 0.06;
    const a = forced('popA').filter(small), b = forced('popB').filter(small);
    assert.ok(a.length > 100 && b.length > 100);
    assert.ok(rate(a, (s) => s.labels.Effusion === 1) > 0.93, 'popA calls small effusions');
    assert.ok(rate(b, (s) => s.labels.Effusion === 1) < 0.05, 'popB does not');
  });

  it('reads cardiomegaly from the film: AP magnification over-calls normal hearts in popA', () => {
    const normal = (view: 'PA' | 'AP') => sample(600, 4, { population: 'popA', findings: [], view });
    const pa = rate(normal('PA'), (s) => s.labels.Cardiomegaly === 1), ap = rate(normal('AP'), (s) => s.labels.Cardiomegaly === 1);
    assert.ok(pa < 0.03, `PA false calls ${pa}`);
    assert.ok(ap > 0.1, `AP false calls ${ap}`);
  });

  it('has label noise that grows from popA to popC', () => {
    const disagree = (pop: string) => {
      const specs = sample(1500, 9, { population: pop, findings: ['Nodule', 'Consolidation'] });
      return rate(specs, (s) => s.labels.Consolidation !== s.truth.Consolidation);
    };
    const a = disagree('popA'), c = disagree('popC');
    assert.ok(a < 0.04 && c > 0.06, `popA ${a}, popC ${c}`);
  });

  it('labels support devices by tip position, borderline reported as normal in popC', () => {
    const specs = sample(600, 8, { population: 'popA', findings: ['Support Devices'] });
    for (const s of specs) {
      assert.equal(s.truth['Support Devices'], 1);
      for (const d of s.devices) assert.equal(s.labels[`${d.kind} - ${d.position}`], 1);
      const n = DEVICE_LABELS.filter((l) => s.truth[l] === 1).length;
      assert.equal(n, s.devices.length);
    }
    const abn = rate(specs, (s) => s.truth['ETT - Abnormal'] === 1), norm = rate(specs, (s) => s.truth['ETT - Normal'] === 1);
    assert.ok(norm > 4 * abn && abn > 0, 'abnormal positions form the tail');
    const c = sample(300, 8, { population: 'popC', devices: { ETT: 'Borderline' } });
    assert.ok(c.every((s) => s.labels['ETT - Borderline'] === 0 && s.labels['ETT - Normal'] === 1));
  });

  it('plants the brace cue: P(cue | fracture) = cooccurrence in cued splits only', () => {
    const cue = resolveSyntheticOptions({ n: 1, spuriousCue: { finding: 'Fracture', cue: 'brace', cooccurrence: 0.9 } }).spuriousCue;
    const draw = (split: 'train' | 'test') => sample(3000, 21, { spuriousCue: cue, split, prevalence: { Fracture: 0.2 } });
    const train = draw('train'), test = draw('test');
    const withF = (xs: PhantomSpec[]) => xs.filter((s) => s.truth.Fracture === 1);
    const noF = (xs: PhantomSpec[]) => xs.filter((s) => s.truth.Fracture === 0);
    assert.ok(Math.abs(rate(withF(train), (s) => s.brace) - 0.9) < 0.05);
    assert.ok(rate(noF(train), (s) => s.brace) < 0.04);
    assert.ok(rate(withF(test), (s) => s.brace) < 0.06, 'decorrelated in the test split');
    assert.ok(Math.abs(rate(train, (s) => s.truth.Fracture === 1) - 0.2) < 0.03, 'prevalence override');
  });

  it('draws covid3 classes and spine Cobb angles', () => {
    const cov = sample(900, 2, { variant: 'covid3' });
    const counts = [0, 1, 2].map((c) => rate(cov, (s) => s.classIndex === c));
    assert.ok(Math.abs(counts[0] - 0.4) < 0.06 && Math.abs(counts[1] - 0.3) < 0.06 && Math.abs(counts[2] - 0.3) < 0.06);
    for (const s of cov.slice(0, 50)) assert.equal(s.labels[['Normal', 'Pneumonia', 'COVID-19'][s.classIndex!]], 1);
    const sp = sample(300, 2, { variant: 'spine' });
    const mts = sp.map((s) => s.spine!.cobb.mt);
    assert.ok(Math.min(...mts) < 8 && Math.max(...mts) > 35, 'straight to severe curves');
    assert.ok(sp.every((s) => s.spine!.vertebrae.length === 17));
  });
});

describe('resolveSyntheticOptions', () => {
  it('fills defaults and normalises population weights', () => {
    const o = resolveSyntheticOptions({ n: 10, populations: { popA: 3, popB: 1 } });
    assert.equal(o.size, 224);
    assert.equal(o.variant, 'cxr');
    assert.deepEqual(o.populations, [{ id: 'popA', weight: 0.75 }, { id: 'popB', weight: 0.25 }]);
    assert.deepEqual(resolveSyntheticOptions({ n: 1, populations: ['popA', 'popC'] }).populations.map((p) => p.weight), [0.5, 0.5]);
  });

  it('names the bad field', () => {
    assert.throws(() => resolveSyntheticOptions({ n: 10, populations: { popZ: 1 } }), /populations.*invalid population: popZ|invalid population/);
    assert.throws(() => resolveSyntheticOptions({ n: -1 }), /n:/);
    assert.throws(() => resolveSyntheticOptions({ n: 5, variant: 'ct' as 'cxr' }), /variant/);
    assert.throws(() => resolveSyntheticOptions({ n: 5, spuriousCue: { cue: 'hat' } as never }), /spuriousCue\.cue/);
    assert.throws(() => resolveSyntheticOptions({ n: 5, prevalence: { Fractur: 0.1 } as never }), /prevalence\.Fractur/);
  });
});
