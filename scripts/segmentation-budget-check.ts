/**
 * Segmentation quality at two budgets for one encoder (default vit-nano-synthetic) on synthetic-cxr organs/bones, seed 0:
 * the CI budget notebook 02 uses in the quick profile (128 train images × 10 epochs × 1 lr) and the quick profile's own
 * segmentation section (512 × 20 epochs × 3 lrs). Prints test Dice per organ and the time (≈ 4 min on 2 cores).
 *
 *   npx ts-node --transpile-only scripts/segmentation-budget-check.ts [encoder-name]
 */
import { openSession } from '../lib/session';
import { groupedMaskSource, segmentTasks, SYNTHETIC_ORGAN_GROUPS } from '../lib/eval/dense/organ-segmentation';
(async () => {
  const session = await openSession('scratch-seg', { profile: 'quick' });
  const cxr = await session.dataset('synthetic-cxr');
  const e = session.encoders.find((x) => x.name === (process.argv[2] ?? 'vit-nano-synthetic'))!;
  const budgets: Record<string, any> = {
    notebook: { lrs: [3.16e-3], epochs: 10, maxTrain: 128 },
    profile: { lrs: session.profile.segmentation.lrs, epochs: session.profile.segmentation.epochs, maxTrain: session.profile.segmentation.maxTrain },
  };
  for (const [name, b] of Object.entries(budgets)) {
    const t0 = Date.now();
    const input = await session.inputFor(e, cxr);
    const r = await segmentTasks({ ...input, samples: cxr, seeds: [0], qualitative: 0, ...b, tasks: [{ task: 'organs', masks: groupedMaskSource(cxr, SYNTHETIC_ORGAN_GROUPS) }] });
    const rows = r.table.filter((d: any) => d.split === 'test' && d.metric === 'dice').objects();
    console.log(name, JSON.stringify(b), rows.map((x: any) => `${x.group} ${x.value.toFixed(3)}`).join(', '), `${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
})();
