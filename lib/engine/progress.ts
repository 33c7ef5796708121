/**
 * Progress for long loops, in the form each place can show:
 * - a TTY: one redrawn bar line (`\r`), ≤ 10 redraws/s;
 * - not a TTY (CI logs, pipes): plain lines, one per 10 % step or every `intervalMs`, whichever comes first;
 * - a tslab notebook: one output line updated in place (display id), ≤ 4 updates/s;
 * - `RAYDINO_PROGRESS=off` (or mode 'silent'): nothing.
 *
 * @example
 * const p = progress({ total: steps, label: 'pretrain' });
 * for (let i = 0; i < steps; i++) { …; p.tick(1, { loss: loss.toFixed(3) }); }
 * p.done();
 */
import { displayBundle, inNotebook, newDisplayId } from './jupyter-display';

export type ProgressMode = 'tty' | 'lines' | 'notebook' | 'silent';
export type ProgressInfo = string | Record<string, string | number>;

export interface ProgressOptions {
  total: number;
  label?: string;
  /** Default: detected (silent if RAYDINO_PROGRESS=off, notebook in tslab, tty if the stream is a TTY, else lines). */
  mode?: ProgressMode;
  /** Where tty/lines output goes (default process.stderr, so stdout stays clean for --json). */
  stream?: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  /**
   * Count already done before this process started (a resumed run): shown in the count, left out of the rate and
   * eta, which would otherwise credit the earlier run's steps to this one's seconds.
   */
  start?: number;
  /** Lines mode: longest silence between two lines (default 15 s). */
  intervalMs?: number;
  /** Clock in ms (tests inject one). */
  now?: () => number;
}

export interface Progress {
  /** Advances by n (default 1); `info` is shown after the counts (e.g. the current loss). */
  tick(n?: number, info?: ProgressInfo): void;
  /** Final line (always shown, also in lines mode). Idempotent. */
  done(info?: ProgressInfo): void;
  readonly mode: ProgressMode;
}

/** Picks how to show progress here (see the module doc). */
export function detectProgressMode(stream: { isTTY?: boolean } = process.stderr): ProgressMode {
  const env = process.env.RAYDINO_PROGRESS?.toLowerCase();
  if (env === 'off' || env === '0' || env === 'silent') return 'silent';
  if (env === 'lines' || env === 'tty' || env === 'notebook') return env;
  if (inNotebook()) return 'notebook';
  return stream.isTTY ? 'tty' : 'lines';
}

function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function formatInfo(info: ProgressInfo | undefined): string {
  if (info === undefined) return '';
  if (typeof info === 'string') return info;
  return Object.entries(info).map(([k, v]) => `${k}=${v}`).join(' ');
}

/** The text of one progress line: `label 30/100 30% [bar] 12.0 it/s eta 5.8s info`. `barWidth` 0 omits the bar. */
export function formatProgress(s: { label?: string; count: number; total: number; elapsedMs: number; start?: number; info?: ProgressInfo; barWidth?: number; finished?: boolean }): string {
  const frac = s.total > 0 ? Math.min(1, s.count / s.total) : 1;
  const rate = s.elapsedMs > 0 ? (s.count - (s.start ?? 0)) / (s.elapsedMs / 1000) : 0;
  const parts: string[] = [];
  if (s.label) parts.push(s.label);
  parts.push(`${s.count}/${s.total}`, `${Math.floor(frac * 100)}%`);
  if (s.barWidth) {
    const full = Math.round(frac * s.barWidth);
    parts.push(`[${'#'.repeat(full)}${'.'.repeat(s.barWidth - full)}]`);
  }
  parts.push(rate >= 1 ? `${rate.toFixed(1)} it/s` : rate > 0 ? `${(1 / rate).toFixed(2)} s/it` : '- it/s');
  parts.push(s.finished ? `in ${formatDuration(s.elapsedMs / 1000)}` : `eta ${formatDuration(rate > 0 ? (s.total - s.count) / rate : Infinity)}`);
  const info = formatInfo(s.info);
  if (info) parts.push(info);
  return parts.join(' ');
}

/** Creates a progress reporter; see the module doc for what it shows where. */
export function progress(opts: ProgressOptions): Progress {
  if (!Number.isFinite(opts.total) || opts.total < 0) throw new Error(`progress: invalid total: ${opts.total}`);
  const done0 = opts.start ?? 0;
  if (!Number.isFinite(done0) || done0 < 0 || done0 > opts.total) throw new Error(`progress: invalid start: ${opts.start} (total ${opts.total})`);
  const stream = opts.stream ?? process.stderr;
  const mode = opts.mode ?? detectProgressMode(stream);
  const now = opts.now ?? (() => performance.now());
  const intervalMs = opts.intervalMs ?? 15000;
  const start = now();
  let count = done0;
  let lastInfo: ProgressInfo | undefined;
  let lastDraw = -Infinity;
  let lastDecile = opts.total > 0 ? Math.floor((10 * done0) / opts.total) : 0;
  let finished = false;
  const displayId = mode === 'notebook' ? newDisplayId() : '';
  let displayed = false;

  const line = (fin: boolean, barWidth = 0) =>
    formatProgress({ label: opts.label, count, total: opts.total, elapsedMs: now() - start, start: done0, info: lastInfo, barWidth, finished: fin });

  const draw = (fin: boolean) => {
    const t = now();
    if (mode === 'tty') {
      if (!fin && t - lastDraw < 100) return;
      const cols = stream.columns ?? 100;
      stream.write(`\r\x1b[2K${line(fin, Math.max(0, Math.min(30, cols - 70))).slice(0, cols - 1)}${fin ? '\n' : ''}`);
    } else if (mode === 'lines') {
      const decile = opts.total > 0 ? Math.floor((10 * count) / opts.total) : 10;
      if (!fin && decile <= lastDecile && t - lastDraw < intervalMs) return;
      lastDecile = decile;
      stream.write(`${line(fin)}\n`);
    } else if (mode === 'notebook') {
      if (!fin && t - lastDraw < 250) return;
      displayBundle({ 'text/plain': line(fin) }, { displayId, update: displayed });
      displayed = true;
    } else return;
    lastDraw = t;
  };

  return {
    mode,
    tick(n = 1, info) {
      if (finished) return;
      count += n;
      if (info !== undefined) lastInfo = info;
      draw(false);
    },
    done(info) {
      if (finished) return;
      finished = true;
      if (info !== undefined) lastInfo = info;
      draw(true);
    },
  };
}
