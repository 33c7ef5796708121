import * as assert from 'assert';
import { buildSchedules, CosineSchedule } from '../../lib/pretrain/schedules';
import { expectClose, torchFixture } from './helpers';

describe('CosineSchedule', () => {
  for (const name of ['lr', 'lastLayer', 'wd', 'momentum', 'teacherTemp']) {
    it(`matches dinov2 CosineScheduler (${name})`, () => {
      const f = torchFixture.schedules[name];
      const s = new CosineSchedule(f);
      expectClose(Array.from({ length: f.total }, (_, i) => s.at(i)), f.values, 1e-12);
      assert.strictEqual(s.at(f.total + 5), f.final);
    });
  }

  it('hand-computed: warm-up 0→1 over 3 steps then cosine 1→0 over 2', () => {
    const s = new CosineSchedule({ base: 1, final: 0, total: 5, warmup: 3 });
    expectClose([0, 1, 2, 3, 4].map((i) => s.at(i)), [0, 0.5, 1, 1, 0.5], 1e-12);
  });

  it('rejects warm-up longer than the run', () => {
    assert.throws(() => new CosineSchedule({ base: 1, final: 0, total: 2, warmup: 3 }), /invalid schedule/);
  });

  it('buildSchedules freezes the last layer and warms the teacher temperature', () => {
    const s = buildSchedules({ totalSteps: 10, warmupSteps: 2, freezeLastLayerSteps: 3, lr: 1e-3, minLr: 1e-6, weightDecay: 0.04,
      weightDecayEnd: 0.4, momentumTeacher: 0.992, finalMomentumTeacher: 1, warmupTeacherTemp: 0.04, teacherTemp: 0.07, warmupTeacherTempSteps: 4 });
    assert.deepStrictEqual([0, 1, 2].map((i) => s.lastLayerLr.at(i)), [0, 0, 0]);
    assert.ok(s.lastLayerLr.at(4) > 0);
    expectClose([s.teacherTemp.at(0), s.teacherTemp.at(3), s.teacherTemp.at(9)], [0.04, 0.07, 0.07], 1e-12);
    expectClose([s.weightDecay.at(0), s.momentum.at(0)], [0.04, 0.992], 1e-12);
  });
});
