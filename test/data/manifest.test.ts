import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { listManifests, loadManifest, parseManifest, manifestPath } from '../../lib/data/manifest';
import { resolveDataRoot, projectRoot } from '../../lib/data/paths';
import { FIXTURES } from './helpers/fixtures';

const REQUIRED = ['chexpert', 'mimic-cxr-jpg', 'nih-chestxray14', 'padchest', 'vindr-cxr', 'brax', 'polcovid', 'siim-acr-pneumothorax', 'jsrt',
  'vindr-ribcxr', 'paxray-plus-plus', 'aasce2019', 'ranzcr-clip', 'mimic-cxr-lt', 'synthetic-cxr', 'synthetic-covid3', 'synthetic-spine',
  'covid-chestxray', 'nih-chestxray14-sample'];

describe('manifest', () => {
  it('ships a valid manifest for every dataset', () => {
    const ids = listManifests();
    for (const id of REQUIRED) assert.ok(ids.includes(id), `missing manifest ${id}`);
    for (const id of ids) {
      const m = loadManifest(id);
      assert.strictEqual(m.id, id, `${id}.json has id ${m.id}`);
      // tasks only name labels that exist
      for (const l of m.tasks.multilabel ?? []) assert.ok(m.labels.names.includes(l), `${id}: task label ${l} not in labels.names`);
    }
  });

  it('fills defaults: label policy, 80/10/10, age bins', () => {
    const m = loadManifest('chexpert');
    assert.deepStrictEqual(m.labels.policy, { uncertain: 'ignore', blank: 'zero' });
    const p = loadManifest('padchest');
    assert.deepStrictEqual(p.split.fractions, { train: 0.8, val: 0.1, test: 0.1 });
    assert.deepStrictEqual(p.demographics.ageBins.map((b) => [b.name, b.min, b.max]), [['Young', 0, 35], ['Middle', 35, 60], ['Elder', 60, 100]]);
  });

  it('names the bad field in schema errors', () => {
    assert.throws(() => loadManifest(path.join(FIXTURES, 'bad-manifests', 'bad-split.json')), /invalid manifest .*bad-split\.json: field 'split\.fractions\.val': Expected number, received string/);
    const good = JSON.parse(fs.readFileSync(manifestPath('nih-chestxray14'), 'utf8'));
    assert.throws(() => parseManifest({ ...good, parser: 'nope' }), /field 'parser': Invalid enum value/);
    assert.throws(() => parseManifest({ ...good, extra: 1 }), /field '\(root\)': Unrecognized key\(s\) in object: 'extra'/);
    assert.throws(() => parseManifest({ ...good, files: { x: { path: 'a', reader: 'chexpert.x' } } }), /field 'files\.x\.reader': must be 'nih\.<reader>'/);
    assert.throws(() => parseManifest({ ...good, parser: 'synthetic', files: {} }), /field 'generator': required when parser is 'synthetic'/);
    assert.throws(() => parseManifest({ ...good, split: { rule: 'patient', fractions: { train: 0.5, val: 0.1, test: 0.1 } } }), /field 'split\.fractions': train \+ val \+ test must sum to 1/);
    assert.throws(() => loadManifest('no-such-dataset'), /unknown dataset manifest 'no-such-dataset'/);
  });

  it('resolves data roots: explicit, project-relative manifest root, $RAYDINO_DATA_ROOT', () => {
    assert.strictEqual(resolveDataRoot({ id: 'a', root: '../shared/data/real/x' }), path.resolve(projectRoot(), '../shared/data/real/x'));
    assert.strictEqual(resolveDataRoot({ id: 'a', root: '../x' }, '/data/y'), '/data/y');
    const old = process.env.RAYDINO_DATA_ROOT;
    try {
      process.env.RAYDINO_DATA_ROOT = '/mnt/cxr';
      assert.strictEqual(resolveDataRoot({ id: 'chexpert', dir: 'CheXpert-v1.0-small' }), '/mnt/cxr/CheXpert-v1.0-small');
      delete process.env.RAYDINO_DATA_ROOT;
      assert.throws(() => resolveDataRoot({ id: 'chexpert' }), /dataset 'chexpert' has no data root: pass --root/);
    } finally {
      if (old === undefined) delete process.env.RAYDINO_DATA_ROOT; else process.env.RAYDINO_DATA_ROOT = old;
    }
    assert.ok(fs.existsSync(path.join(projectRoot(), 'package.json')));
  });
});
