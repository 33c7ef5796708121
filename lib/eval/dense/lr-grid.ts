/**
 * The learning-rate grid of the dense protocols (segmentation, regression): per seed, one head per learning rate is
 * trained, scored on validation, and the lr with the best score kept — NaN scores never win, ties keep the earlier lr of
 * the grid. Heads not kept are disposed as soon as they lose. Also the `config` name of a selected head.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { z } from 'zod';

/**
 * The option fields every dense protocol shares — model, task, seeds, the lr grid, epochs, batch size and the AdamW
 * schedule — with the protocol's own defaults; a protocol's zod schema spreads them and adds its head's fields (the
 * `dataset` column is the input's `samples.dataset`).
 */
export function lrGridFields(d: { task: string; lrs: readonly number[]; epochs: number; batchSize: number }) {
  return {
    model: z.string().min(1),
    task: z.string().default(d.task),
    seeds: z.array(z.number().int()).min(1).default([0]),
    lrs: z.array(z.number().positive()).min(1).default([...d.lrs]),
    epochs: z.number().int().min(1).default(d.epochs),
    batchSize: z.number().int().min(1).default(d.batchSize),
    weightDecay: z.number().min(0).default(0.01),
    warmupFrac: z.number().min(0).max(1).default(0.1),
  };
}

/** A trained head of one (seed, lr): the head, its per-epoch training loss and training time. */
export interface LrTrial<H> { head: H; lossHistory: number[]; seconds: number }

export interface LrSelection<H> {
  /** The kept head of each seed, in seed order (the caller disposes them). */
  best: { seed: number; lr: number; head: H }[];
  /** One row per (seed, lr): seed, lr, val_<metric>, train_loss (last epoch), seconds, selected. */
  selection: ColumnTable;
}

/**
 * Runs the grid. `train` trains one head, `score` is its validation metric (higher is better); `metric` names the
 * selection column (`val_<metric>`); `protocol` and `label` the progress lines.
 */
export function selectLearningRate<H extends { dispose(): void }>(o: {
  seeds: readonly number[];
  lrs: readonly number[];
  train: (lr: number, seed: number) => LrTrial<H>;
  score: (head: H) => number;
  metric: string;
  /** The metric's name in progress lines (default `metric`). */
  label?: string;
  protocol: string;
  log: (message: string) => void;
}): LrSelection<H> {
  const column = `val_${o.metric}`;
  const selection: Record<string, unknown>[] = [];
  const best: { seed: number; lr: number; head: H }[] = [];
  for (const seed of o.seeds) {
    let keep: { lr: number; score: number; head: H } | undefined;
    for (const lr of o.lrs) {
      const r = o.train(lr, seed);
      const score = o.score(r.head);
      selection.push({ seed, lr, [column]: score, train_loss: r.lossHistory[r.lossHistory.length - 1], seconds: r.seconds, selected: false });
      o.log(`${o.protocol}: seed ${seed} lr ${lr} val ${o.label ?? o.metric} ${score.toFixed(4)} (${r.seconds.toFixed(1)} s)`);
      // NaN scores never win; ties keep the smaller lr (grid order)
      if (!keep || score > keep.score || (Number.isNaN(keep.score) && !Number.isNaN(score))) {
        keep?.head.dispose();
        keep = { lr, score, head: r.head };
      } else {
        r.head.dispose();
      }
    }
    selection.find((s) => s.seed === seed && s.lr === keep!.lr)!.selected = true;
    best.push({ seed, lr: keep!.lr, head: keep!.head });
  }
  return { best, selection: aq.from(selection) };
}

/** The `config` column of a selected head: its learning rate. */
export function lrConfigName(lr: number): string {
  return `lr=${lr}`;
}
