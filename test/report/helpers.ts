/** Shared test fixtures for report/plots tests: a small valid vega-lite spec and a schema validator. */
import { strict as assert } from 'assert';
import Ajv from 'ajv';
import * as fs from 'fs';
import type { VegaLiteSpec } from '../../lib/report/vega-render';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function barSpec(): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'GFLOP/s by size',
    width: 200, height: 120,
    data: { values: [{ size: '512', gflops: 30 }, { size: '1024', gflops: 40 }] },
    mark: 'bar',
    encoding: { x: { field: 'size', type: 'nominal', sort: null }, y: { field: 'gflops', type: 'quantitative' } },
    config: { font: 'DejaVu Sans' },
  };
}

export function validateVegaLite(spec: unknown): void {
  const schema = JSON.parse(fs.readFileSync(require.resolve('vega-lite/build/vega-lite-schema.json'), 'utf8'));
  const ajv = new Ajv({ allowUnionTypes: true, strict: false, validateFormats: false });
  const ok = ajv.validate(schema, spec);
  assert.ok(ok, JSON.stringify(ajv.errors?.slice(0, 3)));
}

