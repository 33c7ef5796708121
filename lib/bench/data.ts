/**
 * Data-layer benchmark. Figures (all wall-clock on this machine; noisy on shared 2-core VMs):
 *   preprocess_1024_to_224_ms   preprocess() of a 1024² grey image to 3×224² (antialiased), ms per image
 *   resize_bilinear_1024_to_224_ms  plain 2-tap bilinear resize, ms per image
 *   decode_png512_ms            decodeImageFile of a 512² 8-bit PNG from the NIH sample, ms per image
 *   load_batch_224_img_per_s    loadBatch (decode + preprocess) throughput on the NIH sample, images/s
 *   load_nih_sample_ms          loadDataset('nih-chestxray14-sample') incl. existence checks, ms
 *   load_covid_ms               loadDataset('covid-chestxray'), ms
 * The four real-set rows are absent when the set is not found (a line says so).
 */
import { performance } from 'perf_hooks';
import { loadDataset, optionalDataset } from '../data/load';
import { IMAGENET_MEAN, IMAGENET_STD, loadBatch, preprocess, resizeGrey } from '../data/preprocess';
import type { GreyImage } from '../data/types';

function timeIt(reps: number, fn: () => void): number {
  fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
}

export async function benchData(opts: { quick: boolean }): Promise<Record<string, number | string>> {
  const reps = opts.quick ? 3 : 20;
  const n = 1024;
  const big: GreyImage = { width: n, height: n, data: new Float32Array(n * n).map((_, i) => ((i * 2654435761) >>> 0) / 2 ** 32) };
  const out: Record<string, number | string> = {};
  out.preprocess_1024_to_224_ms = timeIt(reps, () => { preprocess(big, { size: 224, channels: 3 }); });
  out.resize_bilinear_1024_to_224_ms = timeIt(reps, () => { resizeGrey(big, 224, 224, false); });
  // the real sets are not part of a clone (docs/data.md, "Real sets"): without them their rows are skipped, one line each
  // on stderr (stdout may be `bench --json`)
  const skip = (line: string) => console.error(line);
  let t0 = performance.now();
  const nih = await optionalDataset(loadDataset('nih-chestxray14-sample'), 'bench data: NIH-sample rows', skip);
  if (nih) out.load_nih_sample_ms = performance.now() - t0;
  t0 = performance.now();
  if (await optionalDataset(loadDataset('covid-chestxray'), 'bench data: load_covid_ms', skip)) out.load_covid_ms = performance.now() - t0;
  if (nih) {
    const ids = (nih.table.array('id') as string[]).slice(0, opts.quick ? 8 : 64);
    t0 = performance.now();
    for (const id of ids) await nih.loadImage(id);
    out.decode_png512_ms = (performance.now() - t0) / ids.length;
    t0 = performance.now();
    await loadBatch(nih, ids, { inputSize: 224, channels: 3, mean: IMAGENET_MEAN, std: IMAGENET_STD });
    out.load_batch_224_img_per_s = ids.length / ((performance.now() - t0) / 1000);
  }
  for (const k of Object.keys(out)) if (typeof out[k] === 'number') out[k] = Number((out[k] as number).toFixed(2));
  return out;
}
