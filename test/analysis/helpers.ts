/** Fixtures of scripts/gen-analysis-fixtures.py (numpy / scipy / sklearn / torch) and small builders for the tests. */
import * as aq from 'arquero';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { SampleTable } from '../../lib/data/types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadFixture(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'analysis', name), 'utf8'));
}

export function expectClose(actual: number, expected: number | null, tol: number, what: string): void {
  if (expected === null) {
    assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
    return;
  }
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected} (tol ${tol})`);
}

/** A SampleTable from row objects; label columns null → NaN (the contract's unknown). */
export function sampleTable(rows: Record<string, unknown>[], labelNames: string[], dataset = 'fixture'): SampleTable {
  const cols: Record<string, unknown[]> = {};
  for (const k of Object.keys(rows[0])) {
    cols[k] = rows.map((r) => (labelNames.includes(k) && r[k] === null ? NaN : r[k]));
  }
  return {
    dataset, table: aq.table(cols), labelNames, problems: [],
    loadImage: () => Promise.reject(new Error('no images in the fixture')),
  };
}

/** The fixture's sample table, its predictions (4 sets) and references. */
export function samplesFixture() {
  const fx = loadFixture('samples.json');
  const samples = sampleTable(fx.rows, [...fx.findings, 'No Finding']);
  const labels = new Float32Array(fx.rows.length * fx.findings.length);
  fx.rows.forEach((r: Record<string, number | null>, i: number) => fx.findings.forEach((f: string, j: number) => {
    labels[i * fx.findings.length + j] = r[f] === null ? NaN : (r[f] as number);
  }));
  const sets = fx.predictions.sets.map((s: number[], k: number) => ({
    seed: k, fold: 0, ids: fx.predictions.ids, classNames: fx.predictions.classNames, scores: Float32Array.from(s), labels,
  }));
  return { fx, samples, sets };
}
