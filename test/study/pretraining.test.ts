import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as aq from 'arquero';
import {
  healthCurves, intermediateCheckpoints, liveRunConfig, logCurves, logSummary, plannedCheckpoints, pretrainLogs, probeFeatureSets,
  probeInput, probeLine, readPretrainLog, trainedSteps, withRandomFloors, LOSS_TERMS, SCHEDULES, profilePopulations,
} from '../../lib/study/pretraining';
import { probeFeatures } from '../../lib/pretrain/probe';
import { resolvePretrainConfig } from '../../lib/pretrain/config';
import { getProfile } from '../../lib/config/profiles';
import type { FeatureSet } from '../../lib/features/feature-set';
import type { SampleTable } from '../../lib/data/types';
import type { SessionEncoder } from '../../lib/session/encoders';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

function tmp(): string { return fs.mkdtempSync(path.join(os.tmpdir(), 'study-pretrain-')); }
const line = (step: number, extra: Record<string, number> = {}) => JSON.stringify({
  step, lr: step * 1e-4, wd: 0.04 + step * 0.01, momentum: 0.992, teacher_temp: 0.04, dino_loss: 6 - step,
  ibot_loss: 3 - step / 10, koleo_loss: 5, total_loss: 9 - step, img_per_s: 2 + step, seconds: 10, ...extra,
});

describe('readPretrainLog', () => {
  it('parses every terminated line and skips an unterminated last one (a run mid-write)', () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, 'log.jsonl'), `${line(0)}\n${line(1)}\n{"step":2,"lr"`);
    const log = readPretrainLog(d, 'run');
    assert.equal(log.records.length, 2);
    assert.equal(log.records[1].dino_loss, 5);
    assert.equal(trainedSteps(d), 2); // last complete step 1 → 2 steps
  });
  it('names file and line of a bad record', () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, 'log.jsonl'), `${line(0)}\nnot json\n`);
    assert.throws(() => readPretrainLog(d), /log\.jsonl:2: not JSON/);
    fs.writeFileSync(path.join(d, 'log.jsonl'), `{"lr":1}\n`);
    assert.throws(() => readPretrainLog(d), /log\.jsonl:1: field step missing/);
  });
});

describe('logCurves / logSummary', () => {
  const log = { model: 'm', dir: '', records: [0, 1, 2, 3, 4].map((s) => JSON.parse(line(s))) };
  it('averages windows of `every` steps, labelled by the last step of the window', () => {
    const rows = logCurves([log], LOSS_TERMS, { every: 2 }).filter((r) => r.series === 'DINO (CLS)');
    assert.deepEqual(rows.map((r) => r.step), [1, 3, 4]);
    assert.deepEqual(rows.map((r) => r.value), [5.5, 3.5, 2]); // (6+5)/2, (4+3)/2, 2
    const sched = logCurves([log], SCHEDULES).filter((r) => r.series === 'weight decay');
    close(sched[4].value, 0.08);
    assert.throws(() => logCurves([log], LOSS_TERMS, { every: 0 }), /invalid every: 0/);
  });
  it('summarises steps, final loss, mean throughput and minutes', () => {
    const [s] = logSummary([{ ...log, complete: false }]);
    assert.deepEqual(s, { model: 'm', status: 'in progress (no model yet)', steps: 5, final_total_loss: 5, img_per_s: 4, minutes: 50 / 60 });
  });
});

describe('healthCurves', () => {
  it('divides the entropy and cross-entropy terms by log K of the run\'s config, leaves the others raw', () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify({ head: { prototypes: 256 } }));
    const rec = (step: number) => ({ step, dino_loss: 4, ibot_ce: 3, teacher_entropy: 5, student_entropy: 5.5, logit_row_sd: 0.2, cls_cosine: 0.1, cls_effective_rank: 30 });
    const rows = healthCurves([{ model: 'm', dir: d, records: [rec(0), rec(1)] }]);
    const at = (series: string) => rows.filter((r) => r.series === series).map((r) => r.value);
    close(at('DINO loss / log K')[0], 4 / Math.log(256));
    close(at('teacher target entropy / log K')[1], 5 / Math.log(256));
    assert.deepEqual(at('CLS effective rank'), [30, 30]);
    assert.equal(rows.length, 14);
    assert.throws(() => healthCurves([{ model: 'm', dir: tmp(), records: [rec(0)] }]), /no head.prototypes/);
  });
});

describe('pretrainLogs / plannedCheckpoints', () => {
  it('reads planned runs (templates excluded), flags unfinished ones and reports them missing', () => {
    const root = tmp();
    fs.mkdirSync(path.join(root, 'configs', 'pretrain'), { recursive: true });
    for (const n of ['vit-a', 'vit-b', 'vit-c', 'raydino-paper-vitl']) fs.writeFileSync(path.join(root, 'configs', 'pretrain', `${n}.json`), '{}');
    assert.deepEqual(plannedCheckpoints(root), ['vit-a', 'vit-b', 'vit-c']);
    const a = path.join(root, 'checkpoints', 'vit-a'), b = path.join(root, 'checkpoints', 'vit-b');
    fs.mkdirSync(a, { recursive: true }); fs.mkdirSync(b, { recursive: true });
    fs.writeFileSync(path.join(a, 'log.jsonl'), `${line(0)}\n${line(1)}\n`);
    fs.writeFileSync(path.join(a, 'model.safetensors'), '');
    fs.writeFileSync(path.join(b, 'log.jsonl'), ''); // started, nothing logged yet
    const r = pretrainLogs([], { root });
    assert.deepEqual(r.logs.map((l) => [l.model, l.complete, l.records.length]), [['vit-a', true, 2]]);
    assert.deepEqual(r.missing, ['vit-b', 'vit-c']);
  });
});

describe('liveRunConfig', () => {
  it('takes steps, batch, lr and warm-up from the profile, no lr scaling, and only `count` images', () => {
    const base = resolvePretrainConfig({ name: 'x', optim: { steps: 300, batchSize: 8, baseLr: 0.004 } });
    const p = getProfile('quick').pretrain;
    const c = liveRunConfig(base, p, p.batchSize * 2);
    assert.equal(c.name, 'x-live');
    assert.deepEqual([c.optim.steps, c.optim.batchSize, c.optim.baseLr, c.optim.scalingRule, c.optim.warmupSteps, c.data.count],
      [p.steps, p.batchSize, p.lr, 'none', p.warmupSteps, p.batchSize * 2]);
    assert.throws(() => liveRunConfig(base, p, p.batchSize - 1), /must be an integer ≥ the batch size/);
  });
});

function featureSet(ids: string[], cls: number[][], patches: number[][][]): FeatureSet {
  const d = cls[0].length, t = patches[0].length;
  return {
    key: '', encoder: 'e', dataset: 'd', split: 'x', ids, n: ids.length, dim: d, gridH: 1, gridW: t,
    cls: Float32Array.from(cls.flat()), patches: Float32Array.from(patches.flat(2)),
  };
}

describe('probeInput', () => {
  it('is CLS ‖ mean of the patch tokens', () => {
    const f = featureSet(['a', 'b'], [[1, 2], [3, 4]], [[[0, 2], [4, 6]], [[1, 1], [3, -1]]]);
    assert.deepEqual([...probeInput(f)], [1, 2, 2, 4, 3, 4, 2, 0]);
  });
});

describe('probeFeatureSets', () => {
  it('aligns features and labels by id (features in any order) and equals probeFeatures on aligned arrays', () => {
    // 12 samples, 2 labels; label 0 follows feature 0, label 1 follows feature 1
    const rows = Array.from({ length: 12 }, (_, i) => ({
      id: `s${i}`, split: i < 4 ? 'train' : i < 6 ? 'val' : 'test', Effusion: i % 2, Nodule: i % 3 === 0 ? 1 : 0,
    }));
    const feat = (i: number) => [(i % 2) + 0.1 * i, (i % 3 === 0 ? 1 : 0) - 0.05 * i];
    const samples = { dataset: 'd', table: aq.from(rows), labelNames: ['Effusion', 'Nodule'] } as unknown as SampleTable;
    const mk = (ids: number[]) => featureSet(ids.map((i) => `s${i}`), ids.map(feat), ids.map((i) => [feat(i)]));
    const train = mk([3, 1, 0, 2]), val = mk([5, 4]), test = mk([11, 10, 9, 8, 7, 6]);
    const r = probeFeatureSets(samples, [train, val], test, ['Effusion', 'Nodule'], 3);
    const X = (ids: number[]) => Float32Array.from(ids.flatMap((i) => [...feat(i), ...feat(i)]));
    const Y = (ids: number[]) => [ids.map((i) => i % 2), ids.map((i) => (i % 3 === 0 ? 1 : 0))];
    const trIds = [3, 1, 0, 2], vaIds = [5, 4], teIds = [6, 7, 8, 9, 10, 11];
    const e = probeFeatures(X(trIds), Y(trIds), X(teIds), Y(teIds), 4, ['Effusion', 'Nodule'], 3, { X: X(vaIds), Y: Y(vaIds) });
    close(r.knnMacroAuroc, e.knnMacroAuroc);
    close(r.linearMacroAuroc, e.linearMacroAuroc);
    assert.equal(r.linearLambda, e.linearLambda);
    assert.deepEqual([r.nTrain, r.nVal, r.nTest], [4, 2, 6]);
  });
});

describe('probeLine', () => {
  const res = (knn: number, lin: number) => ({ knnMacroAuroc: knn, linearMacroAuroc: lin, linearLambda: 0.01, classes: [], nTrain: 1, nVal: 0, nTest: 1 });
  it('draws the floor flat to the last step and the SSL line from the floor at step 0', () => {
    const rows = probeLine('vit', [{ step: 300, result: res(0.8, 0.7) }, { step: 100, result: res(0.6, 0.65) }], res(0.55, 0.52));
    const knn = rows.filter((r) => r.probe === 'k-NN');
    assert.deepEqual(knn.filter((r) => r.line !== 'SSL').map((r) => [r.step, r.value]), [[0, 0.55], [300, 0.55]]);
    assert.deepEqual(knn.filter((r) => r.line === 'SSL').map((r) => [r.step, r.value]), [[0, 0.55], [100, 0.6], [300, 0.8]]);
    assert.deepEqual(rows.filter((r) => r.probe === 'linear' && r.line === 'SSL').map((r) => r.value), [0.52, 0.65, 0.7]);
  });
});

describe('intermediateCheckpoints', () => {
  it('finds steps/<…N>.safetensors and model-step<N>.safetensors, sorted by step', () => {
    const d = tmp();
    fs.mkdirSync(path.join(d, 'steps'));
    fs.writeFileSync(path.join(d, 'steps', 'teacher-200.safetensors'), '');
    fs.writeFileSync(path.join(d, 'model-step50.safetensors'), '');
    fs.writeFileSync(path.join(d, 'model.safetensors'), '');
    assert.deepEqual(intermediateCheckpoints(d).map((c) => c.step), [50, 200]);
    assert.deepEqual(intermediateCheckpoints(tmp()), []);
  });
});

describe('withRandomFloors / profilePopulations', () => {
  it('adds random-<arch> for SSL and supervised architectures that lack one', () => {
    const e: SessionEncoder[] = [
      { name: 's', spec: 'x', kind: 'supervised', arch: 'vit_nano' },
      { name: 'm', spec: 'y', kind: 'ssl', arch: 'vit_micro' },
      { name: 'random-vit_micro', spec: 'random:vit_micro:0', kind: 'random', arch: 'vit_micro' },
    ];
    assert.deepEqual(withRandomFloors(e).map((x) => x.name), ['s', 'm', 'random-vit_micro', 'random-vit_nano']);
    assert.equal(withRandomFloors(e)[3].spec, 'random:vit_nano:0');
  });
  it('takes the profile\'s number of populations (at least 2)', () => {
    assert.deepEqual(profilePopulations(getProfile('quick')), ['popA', 'popB']);
    assert.deepEqual(profilePopulations(getProfile('quick', { data: { populations: 1 } })), ['popA', 'popB']);
  });
});
