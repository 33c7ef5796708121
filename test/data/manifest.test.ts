import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { listManifests, loadManifest, parseManifest, manifestPath } from '../../lib/data/manifest';
import { dataRootCandidates, DatasetNotFoundError, resolveDataRoot } from '../../lib/data/paths';
import { projectRoot } from '../../lib/engine/provenance';
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

  it('resolves data roots: explicit, project-relative manifest root, then $RAYDINO_DATA_ROOT', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rd-roots-'));
    const old = process.env.RAYDINO_DATA_ROOT;
    try {
      fs.mkdirSync(path.join(tmp, 'shipped'));
      fs.mkdirSync(path.join(tmp, 'env', 'CheXpert-v1.0-small'), { recursive: true });
      const shipped = path.relative(projectRoot(), path.join(tmp, 'shipped'));
      assert.strictEqual(resolveDataRoot({ id: 'a', root: shipped }), path.join(tmp, 'shipped'));
      assert.strictEqual(resolveDataRoot({ id: 'a', root: shipped }, tmp), tmp);
      process.env.RAYDINO_DATA_ROOT = path.join(tmp, 'env');
      assert.strictEqual(resolveDataRoot({ id: 'chexpert', dir: 'CheXpert-v1.0-small' }), path.join(tmp, 'env', 'CheXpert-v1.0-small'));
      // a manifest root that is not there falls through to $RAYDINO_DATA_ROOT (a clone without the shipped sets)
      assert.strictEqual(resolveDataRoot({ id: 'chexpert', root: '../no-such-real-set', dir: 'CheXpert-v1.0-small' }), path.join(tmp, 'env', 'CheXpert-v1.0-small'));
      assert.deepStrictEqual(dataRootCandidates({ id: 'x', root: '../r' }).map((c) => c.from), ['manifest root', 'RAYDINO_DATA_ROOT']);
      // an explicit root is the only place looked at
      assert.throws(() => resolveDataRoot({ id: 'a', root: shipped }, path.join(tmp, 'nope')),
        (e: Error) => e instanceof DatasetNotFoundError && /^dataset a not found: looked in .*nope \(root option\); to add it, point --root at the folder that holds it \(docs\/data\.md, "Real sets"\)$/.test(e.message));
      delete process.env.RAYDINO_DATA_ROOT;
      assert.throws(() => resolveDataRoot({ id: 'chexpert' }), /^DatasetNotFoundError: dataset chexpert not found: looked in \$RAYDINO_DATA_ROOT \(not set\); to add it, pass --root <dir>, or set RAYDINO_DATA_ROOT so that \$RAYDINO_DATA_ROOT\/chexpert holds it/);
    } finally {
      if (old === undefined) delete process.env.RAYDINO_DATA_ROOT; else process.env.RAYDINO_DATA_ROOT = old;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    assert.ok(fs.existsSync(path.join(projectRoot(), 'package.json')));
  });
});
