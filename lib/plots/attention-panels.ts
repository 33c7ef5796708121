/**
 * Attention maps over their X-rays: a classification head's maps with the truth boxes and the most-attended patch (paper
 * Fig 4f / S6) and the Cobb-angle regression head's per-head maps (Fig 3e).
 */
import type { SampleTable } from '../data/types';
import type { AttentionMap } from '../eval/explainability/pinpointing';
import type { RegAttention } from '../eval/dense/regression';
import { attentionToImage } from '../analysis/attention-image';
import type { Panel } from './panel-grid';
import type { BoxOverlay } from './xray';

/**
 * Panels for Fig 4f / S6: one per map — the X-ray, the attention map as a heat map, the truth box(es) in green and the
 * most-attended patch in red, titled '<finding> · hit|miss'. Takes the first map of each class (`onePerClass`, default
 * true; false: the maps in order), at most `max`.
 */
export async function attentionPanels(samples: SampleTable, maps: readonly AttentionMap[], opts: { max?: number; prefix?: string; onePerClass?: boolean } = {}): Promise<Panel[]> {
  const max = opts.max ?? 8;
  const onePerClass = opts.onePerClass ?? true;
  const chosen: AttentionMap[] = [];
  const seen = new Set<string>();
  for (const m of maps) {
    if (chosen.length >= max) break;
    if (onePerClass && seen.has(m.label)) continue;
    seen.add(m.label);
    chosen.push(m);
  }
  return Promise.all(chosen.map(async (m) => {
    const image = await samples.loadImage(m.id);
    const sx = image.width / m.imageWidth, sy = image.height / m.imageHeight;
    const pw = m.imageWidth / m.gridW, ph = m.imageHeight / m.gridH;
    const gy = Math.floor(m.argmax / m.gridW), gx = m.argmax % m.gridW;
    const boxes: BoxOverlay[] = [
      ...m.boxes.map((b) => ({ x: b.x * sx, y: b.y * sy, w: b.w * sx, h: b.h * sy, color: '#00c853' })),
      { x: gx * pw * sx, y: gy * ph * sy, w: pw * sx, h: ph * sy, color: '#ff1744' },
    ];
    return {
      image: { image, boxes, heatmap: { data: m.map, width: m.gridW, height: m.gridH, alpha: 0.5 } },
      title: `${opts.prefix ? `${opts.prefix} · ` : ''}${m.label} · ${m.hit ? 'hit' : 'miss'}`,
    };
  }));
}

/**
 * Fig 3e right: the regression head's attention maps — per sample, the X-ray then one heat map per head (bilinear on
 * the patch grid), titled with the model and head.
 */
export async function cobbAttentionPanels(samples: SampleTable, attention: readonly RegAttention[], model: string, maxSamples = 2): Promise<Panel[]> {
  const panels: Panel[] = [];
  const firstSeed = attention.length ? attention[0].seed : 0;
  for (const a of attention.filter((x) => x.seed === firstSeed).slice(0, maxSamples)) {
    const image = await samples.loadImage(a.id);
    const t = a.gridH * a.gridW;
    panels.push({ image: { image }, title: `${a.id}` });
    for (let h = 0; h < a.heads; h++) {
      const map = attentionToImage(a.attention.subarray(h * t, (h + 1) * t), a.gridH, a.gridW, { width: image.width, height: image.height });
      panels.push({ image: { image, heatmap: { data: map, width: image.width, height: image.height } }, title: `${model} head ${h + 1}` });
    }
  }
  return panels;
}
