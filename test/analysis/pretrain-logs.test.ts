import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkpointProbeFindings, checkpointProbes, healthCurves, logCurves, logSummary, pretrainLogs, splitConstantSeries, LOSS_TERMS, SCHEDULES } from '../../lib/analysis/pretrain-logs';
import { intermediateCheckpoints, plannedCheckpoints, readPretrainLog, trainedSteps } from '../../lib/pretrain/run-log';

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

describe('splitConstantSeries', () => {
  it('a series constant over every run and step is named with its value; one that varies in any run is kept', () => {
    const rows = [
      { model: 'a', series: 'temp', step: 0, value: 0.04 }, { model: 'b', series: 'temp', step: 5, value: 0.04 },
      { model: 'a', series: 'lr', step: 0, value: 0 }, { model: 'a', series: 'lr', step: 1, value: 1e-4 },
      { model: 'a', series: 'wd', step: 0, value: 0.04 }, { model: 'b', series: 'wd', step: 0, value: 0.05 },
    ];
    const s = splitConstantSeries(rows);
    assert.deepEqual(s.constant, [{ series: 'temp', value: 0.04 }]);
    assert.deepEqual(s.varying.map((r) => r.series), ['lr', 'lr', 'wd', 'wd']);
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

describe('checkpointProbes / checkpointProbeFindings', () => {
  const result = (classes: string[], lin: number[], knn: number) => ({
    classes, linearPerClass: lin, knnPerClass: lin.map((v) => v - 0.1), linearMacroAuroc: lin.reduce((a, b) => a + b, 0) / lin.length,
    knnMacroAuroc: knn, linearLambda: 1, nTrain: 6, nVal: 2, nTest: 2,
  });
  const write = (probe: object) => {
    const d = tmp();
    fs.writeFileSync(path.join(d, 'probe.json'), JSON.stringify(probe));
    return { model: 'ssl-run', dir: d, records: [] };
  };

  it('reads each finding of the linear probe beside random init and raw pixels; a finding the raw-pixel probe did not score is NaN', () => {
    const log = write({
      pretrained: result(['Effusion', 'Nodule'], [0.7, 0.6], 0.6),
      randomInit: result(['Effusion', 'Nodule'], [0.55, 0.5], 0.5),
      rawPixels: result(['Effusion'], [0.9], 0.7),
    });
    const rows = checkpointProbeFindings([log]);
    assert.deepEqual(rows.map((r) => r.finding), ['Effusion', 'Nodule']);
    assert.deepEqual([rows[0].ssl, rows[0].random_init, rows[0].raw_pixels], [0.7, 0.55, 0.9]);
    close(rows[0].ssl_minus_raw, -0.2);
    assert.ok(Number.isNaN(rows[1].raw_pixels) && Number.isNaN(rows[1].ssl_minus_raw));
    // the macro table of the same file: linear 0.65 vs raw 0.9 → below raw pixels
    const macro = checkpointProbes([log]).find((r) => r.probe === 'linear')!;
    assert.equal(macro.targets, 'not met: below raw pixels');
  });

  it('puts the logistic read-out first, in macro and per finding, where every run of the file has it', () => {
    const withLogit = (r: ReturnType<typeof result>, v: number[]) => ({ ...r, logisticPerClass: v, logisticMacroAuroc: v.reduce((a, b) => a + b, 0) / v.length, logisticC: 0.01 });
    const log = write({
      pretrained: withLogit(result(['Effusion', 'Nodule'], [0.7, 0.6], 0.6), [0.9, 0.8]),
      randomInit: withLogit(result(['Effusion', 'Nodule'], [0.55, 0.5], 0.5), [0.6, 0.5]),
      rawPixels: withLogit(result(['Effusion', 'Nodule'], [0.9, 0.5], 0.7), [0.8, 0.6]),
    });
    const macro = checkpointProbes([log]);
    assert.deepEqual(macro.map((r) => r.probe), ['logistic', 'linear', 'k-NN']);
    close(macro[0].ssl, 0.85);
    close(macro[0].raw_pixels, 0.7);
    assert.equal(macro[0].targets, 'met');
    assert.equal(macro[1].targets, 'not met: below raw pixels');
    const rows = checkpointProbeFindings([log]);
    assert.deepEqual(rows.map((r) => `${r.probe} ${r.finding}`), ['logistic Effusion', 'logistic Nodule', 'linear Effusion', 'linear Nodule']);
    close(rows[0].ssl_minus_raw, 0.1);
  });

  it('leaves out a probe.json written before per-finding AUROCs (re-run the probe)', () => {
    const old = (r: ReturnType<typeof result>) => ({ ...r, linearPerClass: undefined, knnPerClass: undefined });
    const r = result(['Effusion'], [0.7], 0.6);
    assert.deepEqual(checkpointProbeFindings([write({ pretrained: old(r), randomInit: old(r), rawPixels: old(r) })]), []);
  });
});
