/**
 * Per-iteration schedules as dinov2's `CosineScheduler` (dinov2/utils/utils.py): `freeze` iterations at 0, a linear
 * warm-up from `startWarmup` to `base` over `warmup` iterations (np.linspace, endpoint included), then a half cosine
 * from `base` to `final` over the remaining iterations; past `total` it stays at `final`.
 * DINOv2 uses it for the learning rate (warm-up then cosine to min_lr), weight decay (0.04 → 0.4), teacher momentum
 * (0.992 → 1), teacher temperature (linear warm-up 0.04 → 0.07, then constant) and the last-layer learning rate
 * (same as lr but 0 during the first epoch).
 */
export interface CosineScheduleSpec {
  base: number;
  final: number;
  total: number;
  warmup?: number;
  startWarmup?: number;
  freeze?: number;
}

export class CosineSchedule {
  readonly values: Float64Array;

  constructor(readonly spec: CosineScheduleSpec) {
    const { base, final, total, warmup = 0, startWarmup = 0, freeze = 0 } = spec;
    if (!(total >= 1) || warmup < 0 || freeze < 0 || warmup + freeze > total) {
      throw new Error(`invalid schedule: total ${total}, warmup ${warmup}, freeze ${freeze}`);
    }
    const v = new Float64Array(total);
    for (let i = 0; i < warmup; i++) v[freeze + i] = warmup === 1 ? startWarmup : startWarmup + ((base - startWarmup) * i) / (warmup - 1);
    const rest = total - warmup - freeze;
    for (let i = 0; i < rest; i++) v[freeze + warmup + i] = final + 0.5 * (base - final) * (1 + Math.cos((Math.PI * i) / rest));
    this.values = v;
  }

  /** Value at iteration `it` (0-based). */
  at(it: number): number {
    return it >= this.spec.total ? this.spec.final : this.values[it];
  }
}

/** The five schedules of a DINOv2 run, built from iteration counts. */
export interface PretrainSchedules {
  lr: CosineSchedule;
  lastLayerLr: CosineSchedule;
  weightDecay: CosineSchedule;
  momentum: CosineSchedule;
  teacherTemp: CosineSchedule;
}

export interface ScheduleSettings {
  totalSteps: number;
  warmupSteps: number;
  /** Steps during which the prototype layer's lr is 0 (dinov2: freeze_last_layer_epochs · epoch length). */
  freezeLastLayerSteps: number;
  lr: number;
  minLr: number;
  weightDecay: number;
  weightDecayEnd: number;
  momentumTeacher: number;
  finalMomentumTeacher: number;
  warmupTeacherTemp: number;
  teacherTemp: number;
  warmupTeacherTempSteps: number;
}

/** dinov2 `SSLMetaArch` / train.py `build_schedulers`, in steps. */
export function buildSchedules(s: ScheduleSettings): PretrainSchedules {
  const total = s.totalSteps;
  const warmup = Math.min(s.warmupSteps, total);
  return {
    lr: new CosineSchedule({ base: s.lr, final: s.minLr, total, warmup }),
    lastLayerLr: new CosineSchedule({ base: s.lr, final: s.minLr, total, warmup: Math.min(warmup, total - Math.min(s.freezeLastLayerSteps, total)), freeze: Math.min(s.freezeLastLayerSteps, total) }),
    weightDecay: new CosineSchedule({ base: s.weightDecay, final: s.weightDecayEnd, total }),
    momentum: new CosineSchedule({ base: s.momentumTeacher, final: s.finalMomentumTeacher, total }),
    teacherTemp: new CosineSchedule({ base: s.teacherTemp, final: s.teacherTemp, total, warmup: Math.min(s.warmupTeacherTempSteps, total), startWarmup: s.warmupTeacherTemp }),
  };
}
