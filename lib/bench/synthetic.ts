/**
 * Benchmark of the synthetic phantom generator (one thread, in-process).
 *
 * Keys (all numbers):
 *   synthetic_images_per_s_224        rendered images/s at 224 px, no masks (the cache path), wall clock
 *   synthetic_images_per_cpu_s_224    the same per second of this process's CPU time (robust when the machine is shared)
 *   synthetic_images_per_s_224_masks  rendered images/s at 224 px with all anatomy/finding masks
 *   synthetic_images_per_s_112        rendered images/s at 112 px (quick-profile size)
 *   synthetic_images_per_s_64         rendered images/s at 64 px
 *   synthetic_specs_per_s             label/spec sampling only (no pixels)
 *   synthetic_spine_images_per_s_224  spine-variant images/s at 224 px
 * Mixed populations (A/B/C) and natural finding prevalences; specs are drawn before timing.
 * Target: ≥ 200 images/s at 224 px on one core.
 */
import { createRng } from '../engine/rng';
import { generatePhantom } from '../data/synthetic/phantom';
import { PhantomSpec, samplePhantomSpec, Variant } from '../data/synthetic/spec';

function specs(n: number, variant: Variant = 'cxr'): PhantomSpec[] {
  const pops = ['popA', 'popB', 'popC'];
  return Array.from({ length: n }, (_, i) => samplePhantomSpec(createRng(1000 + i), { variant, population: pops[i % 3] }));
}

function rates(list: PhantomSpec[], size: number, masks: boolean): { wall: number; cpu: number } {
  for (let i = 0; i < Math.min(10, list.length); i++) generatePhantom(list[i], createRng(list[i].seed), { size, masks }); // warm-up (JIT)
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const s of list) generatePhantom(s, createRng(s.seed), { size, masks });
  const c = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  return { wall: Math.round((list.length / wall) * 1000), cpu: Math.round((list.length / ((c.user + c.system) / 1000)) * 1000) };
}
const rate = (list: PhantomSpec[], size: number, masks: boolean) => rates(list, size, masks).wall;

export async function benchSynthetic(opts: { quick: boolean }): Promise<Record<string, number | string>> {
  const k = opts.quick ? 1 : 4;
  const cxr = specs(100 * k);
  const nSpec = 2000 * k;
  const t0 = performance.now();
  for (let i = 0; i < nSpec; i++) samplePhantomSpec(createRng(i));
  const specsPerS = Math.round((nSpec / (performance.now() - t0)) * 1000);
  const r224 = rates(cxr, 224, false);
  return {
    synthetic_images_per_s_224: r224.wall,
    synthetic_images_per_cpu_s_224: r224.cpu,
    synthetic_images_per_s_224_masks: rate(cxr, 224, true),
    synthetic_images_per_s_112: rate(specs(300 * k), 112, false),
    synthetic_images_per_s_64: rate(specs(300 * k), 64, false),
    synthetic_specs_per_s: specsPerS,
    synthetic_spine_images_per_s_224: rate(specs(100 * k, 'spine'), 224, false),
  };
}
