/**
 * The tfjs trainer against a PyTorch replica trained on the same batches from the same initial weights
 * (scripts/pretrain-replica-fixtures.sh → test/fixtures/pretrain/replica/): every logged loss of the first steps of the
 * embedded recipe (head-input BatchNorm, separate iBOT head, Sinkhorn-Knopp, KoLeo, schedules, per-module clipping,
 * AdamW, EMA), as one process, as 2 data-parallel workers with the teacher sharded and over the whole batch, and as 4
 * shards per step on 2 workers (gradient accumulation).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GreyImage } from '../../lib/data/types';
import { loadPretrainConfig, PretrainConfig, resolvePretrainConfig } from '../../lib/pretrain/config';
import { loadPretrainImages } from '../../lib/pretrain/data';
import { DataParallelRun } from '../../lib/pretrain/data-parallel';
import { PretrainRun, StepRecord } from '../../lib/pretrain/trainer';
import { useCpu } from './helpers';

const DIR = path.join(__dirname, '..', 'fixtures', 'pretrain', 'replica');
const FIELDS = ['dino_loss', 'ibot_loss', 'koleo_loss', 'grad_norm', 'teacher_entropy'] as const;

function torchLog(workers: 1 | 2 | 4 | '2-main'): Record<string, number>[] {
  return fs.readFileSync(path.join(DIR, `log-workers${workers}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

function compare(ours: StepRecord[], torch: Record<string, number>[], what: string): void {
  assert.strictEqual(ours.length, torch.length, `${what}: ${ours.length} steps vs ${torch.length}`);
  ours.forEach((r, s) => {
    for (const f of FIELDS) {
      const a = r[f], b = torch[s][f];
      // float32 on both sides; the rounding grows a little with every update (KoLeo's 1 / distance amplifies it)
      assert.ok(Math.abs(a - b) <= 2e-4 * Math.max(1, Math.abs(b)), `${what}, step ${s}, ${f}: tfjs ${a} vs PyTorch ${b}`);
    }
  });
}

/** Every step of `c` (all its optim.steps) as a data-parallel run; workers are closed whatever happens. */
async function dataParallelRecords(c: PretrainConfig, images?: GreyImage[]): Promise<StepRecord[]> {
  const dp = await DataParallelRun.create(c, images ?? await loadPretrainImages(c));
  try {
    const records: StepRecord[] = [];
    for (let s = 0; s < c.optim.steps; s++) records.push(await dp.trainStep());
    return records;
  } finally {
    await dp.close();
  }
}

describe('pretraining trainer vs a PyTorch replica on the same batches', function () {
  this.timeout(120_000);
  before(useCpu);
  const config = loadPretrainConfig(path.join(DIR, 'config.json'));

  it('one process: every step\'s DINO, iBOT and KoLeo losses, gradient norm and teacher entropy', async () => {
    const c = resolvePretrainConfig({ ...config, train: { ...config.train, workers: 1 } });
    const run = new PretrainRun(c, await loadPretrainImages(c));
    try {
      compare(Array.from({ length: c.optim.steps }, () => run.trainStep()), torchLog(1), '1 process');
    } finally {
      run.dispose();
    }
  });

  it('2 workers, sharded teacher: head BatchNorm and KoLeo per shard, Sinkhorn-Knopp over the whole batch', async () => {
    const records = await dataParallelRecords(config);
    compare(records, torchLog(2), '2 workers');
    // the shards matter: the 1-process replica is a different computation, and the comparison can tell them apart
    const one = torchLog(1);
    assert.ok(records.some((r, s) => Math.abs(r.dino_loss - one[s].dino_loss) > 1e-3), '2-worker run equals the 1-process replica');
  });

  it('2 workers, train.teacher \'main\': the teacher head\'s BatchNorm over the whole batch, the students\' per shard', async () => {
    const records = await dataParallelRecords(resolvePretrainConfig({ ...config, train: { ...config.train, teacher: 'main' } }));
    compare(records, torchLog('2-main'), '2 workers, teacher main');
    // whole-batch BatchNorm changes the targets themselves, not only their rounding
    const sharded = torchLog(2);
    assert.ok(Math.abs(records[0].dino_loss - sharded[0].dino_loss) > 1e-2, 'teacher placement did not change step 0\'s DINO loss');
  });

  it('train.shards 4 on 2 workers (gradient accumulation) is the 4-shard step, and on 1 worker the same numbers', async () => {
    const c = resolvePretrainConfig({ ...config, train: { ...config.train, shards: 4 } });
    const images = await loadPretrainImages(c);
    const steps = async (workers: number) => (await dataParallelRecords(resolvePretrainConfig({ ...c, train: { ...c.train, workers } }), images))
      .map(({ seconds: _s, img_per_s: _i, ...r }) => r); // wall time differs run to run
    const two = await steps(2);
    compare(two as StepRecord[], torchLog(4), '4 shards on 2 workers');
    assert.ok(two.some((r, s) => Math.abs(r.dino_loss - torchLog(2)[s].dino_loss) > 1e-3), '4 shards equal 2 shards');
    // the workers only run the shards: the same shards on one worker give the same numbers, bit for bit
    assert.deepStrictEqual(await steps(1), two);
  });
});
