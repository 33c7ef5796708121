/**
 * Collapse check of a DINOv2 pretraining run: loads `<dir>/checkpoint.safetensors` (or the fresh init without a dir) and
 * prints, for one batch of global crops, how similar the backbone CLS tokens and the DINO head's bottleneck outputs are
 * across images (mean pairwise cosine), how much the prototype logits vary within a row and across rows, and the entropy
 * of the teacher's Sinkhorn-Knopp targets and of the student's softmax (log K = uniform).
 * A run in "uniform collapse" shows student entropy ≈ log K and a DINO loss pinned at log K (docs/pretrain.md).
 *
 *   npx ts-node --transpile-only scripts/pretrain-collapse-check.ts configs/pretrain/vit-nano-synthetic.json [run-dir]
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../lib/engine/backend';
import { loadPretrainConfig } from '../lib/pretrain/config';
import { loadPretrainImages } from '../lib/pretrain/data';
import { PretrainRun } from '../lib/pretrain/trainer';
import { loadCheckpoint } from '../lib/pretrain/checkpoint';
import { sinkhornKnopp } from '../lib/pretrain/center';

/** Mean within-row sd and mean across-row sd per column of a logit matrix. */
function rowStats(name: string, t: tf.Tensor2D) {
  const a = t.arraySync();
  const sds = a.map((r) => { const m = r.reduce((x, y) => x + y, 0) / r.length; return Math.sqrt(r.reduce((x, y) => x + (y - m) ** 2, 0) / r.length); });
  console.log(name, 'mean within-row sd', (sds.reduce((x, y) => x + y, 0) / sds.length).toFixed(4));
  // column-wise variation across rows
  const K = a[0].length; let cs = 0;
  for (let k = 0; k < K; k++) { const col = a.map((r) => r[k]); const m = col.reduce((x, y) => x + y, 0) / col.length; cs += Math.sqrt(col.reduce((x, y) => x + (y - m) ** 2, 0) / col.length); }
  console.log(name, 'mean across-row sd per prototype', (cs / K).toFixed(4));
}
function entropy(name: string, p: tf.Tensor2D) {
  const a = p.arraySync(); const H = a.map((r) => -r.reduce((s, x) => s + (x > 0 ? x * Math.log(x) : 0), 0));
  console.log(name, 'mean entropy', (H.reduce((x, y) => x + y, 0) / H.length).toFixed(4), 'logK', Math.log(a[0].length).toFixed(4));
}
(async () => {
  await initBackend();
  const cfg = loadPretrainConfig(process.argv[2]);
  const images = await loadPretrainImages({ ...cfg, data: { ...cfg.data, count: 64 } });
  const run = new PretrainRun(cfg, images);
  if (process.argv[3]) loadCheckpoint(run, process.argv[3]);
  const s = run.step;
  const b = run.prepareBatch(s % 4);
  const B = cfg.optim.batchSize, G = cfg.crops.globalSize;
  const gT = tf.tensor4d(b.global, [2 * B, 1, G, G]);
  const tOut = run.teacher.forward(gT, { training: false });
  const sOut = run.student.forward(gT, { training: false });
  const clsT = tOut.cls as tf.Tensor2D;
  // backbone cls spread: pairwise cos
  const n = tf.div(clsT, tf.norm(clsT, 2, 1, true)) as tf.Tensor2D;
  const cos = (tf.matMul(n, n, false, true) as tf.Tensor2D).arraySync(); let s2 = 0, m = 0;
  for (let i = 0; i < cos.length; i++) for (let j = i + 1; j < cos.length; j++) { s2 += cos[i][j]; m++; }
  console.log('step', s, 'teacher backbone CLS mean pairwise cos', (s2 / m).toFixed(4));
  const tl = run.teacherHeads.dino.apply(clsT);
  const sl = run.studentHeads.dino.apply(sOut.cls as tf.Tensor2D);
  rowStats('teacher logits (cos)', tl); rowStats('student logits (cos)', sl);
  entropy('teacher SK probs @0.07', sinkhornKnopp(tl, 0.07));
  entropy('student softmax @0.1', tf.softmax(tf.div(sl, 0.1)) as tf.Tensor2D);
  // prototype pairwise cos
  const v = run.studentParams.get('dino_head.last_layer.weight_v')!;
  const w = tf.div(v, tf.norm(v, 2, 0, true)) as tf.Tensor2D;
  const pc = (tf.matMul(w, w, true, false) as tf.Tensor2D).arraySync(); s2 = 0; m = 0;
  for (let i = 0; i < pc.length; i++) for (let j = i + 1; j < pc.length; j++) { s2 += pc[i][j]; m++; }
  console.log('prototype mean pairwise cos', (s2 / m).toFixed(4), '|v| mean', (tf.mean(tf.norm(v, 2, 0)).dataSync()[0]).toFixed(4));
  // head bottleneck output spread
  const p = run.studentHeads.dino.params;
  let h: tf.Tensor2D = sOut.cls as tf.Tensor2D;
  for (let l = 0; l < 3; l++) { h = tf.add(tf.matMul(h, p.get(`dino_head.mlp.${2*l}.weight`)! as tf.Tensor2D), p.get(`dino_head.mlp.${2*l}.bias`)!) as tf.Tensor2D; if (l < 2) h = tf.mul(h, tf.sigmoid(tf.mul(h, 1.702))) as tf.Tensor2D; }
  const hn = tf.div(h, tf.norm(h, 2, 1, true)) as tf.Tensor2D;
  const hc = (tf.matMul(hn, hn, false, true) as tf.Tensor2D).arraySync(); s2 = 0; m = 0;
  for (let i = 0; i < hc.length; i++) for (let j = i + 1; j < hc.length; j++) { s2 += hc[i][j]; m++; }
  console.log('student bottleneck mean pairwise cos', (s2 / m).toFixed(4), '|h| mean', tf.mean(tf.norm(h, 2, 1)).dataSync()[0].toFixed(5));
})();
