import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { loadDataset, optionalDataset, SKIP_PREFIX } from '../../lib/data/load';
import { DatasetNotFoundError } from '../../lib/data/paths';
import { cleanupRoots, fixtureRoot, manifestWith, writeImage } from './helpers/fixtures';

// A clone without the real sets beside it: the manifest's shipped root is not there and RAYDINO_DATA_ROOT is unset.
describe('a real set that is not here', () => {
  const missing = { ...manifestWith('covid-chestxray'), root: '../no-such-folder/covid-chestxray' };
  let oldEnv: string | undefined;
  before(() => { oldEnv = process.env.RAYDINO_DATA_ROOT; delete process.env.RAYDINO_DATA_ROOT; });
  after(() => { if (oldEnv !== undefined) process.env.RAYDINO_DATA_ROOT = oldEnv; cleanupRoots(); });

  it('loadDataset throws one line naming the set, where it looked and how to add it', async () => {
    await assert.rejects(loadDataset(missing), (e: Error) => {
      assert.ok(e instanceof DatasetNotFoundError);
      assert.strictEqual(e.message.split('\n').length, 1);
      assert.match(e.message, /^dataset covid-chestxray not found: looked in \/\S+\/no-such-folder\/covid-chestxray \(manifest root\), \$RAYDINO_DATA_ROOT \(not set\); to add it, pass --root <dir>, or set RAYDINO_DATA_ROOT so that \$RAYDINO_DATA_ROOT\/covid-chestxray holds it \(docs\/data\.md, "Real sets"\)$/);
      return true;
    });
  });

  it('optionalDataset prints one skip line naming the panel and returns null', async () => {
    const lines: string[] = [];
    const r = await optionalDataset(loadDataset(missing), 'Fig 4b', (l) => lines.push(l));
    assert.strictEqual(r, null);
    assert.strictEqual(lines.length, 1);
    assert.ok(lines[0].startsWith(`${SKIP_PREFIX}Fig 4b — dataset covid-chestxray not found: looked in `), lines[0]);
  });

  it('finds the set under $RAYDINO_DATA_ROOT/<id> when the shipped root is absent', async () => {
    const root = fixtureRoot('covid-chestxray');
    for (const f of ['nejmc2001573_f1a.jpeg', 'nejmc2001573_f1b.jpeg', 'lancet-case2a.jpg', 'hier.jpg']) await writeImage(path.join(root, 'images', f), 'jpeg');
    const parent = path.dirname(root);
    const named = path.join(parent, `rd-env-${process.pid}`, 'covid-chestxray');
    fs.mkdirSync(path.dirname(named), { recursive: true });
    fs.renameSync(root, named);
    process.env.RAYDINO_DATA_ROOT = path.dirname(named);
    try {
      const lines: string[] = [];
      const ds = await optionalDataset(() => loadDataset(missing), 'Fig 4b', (l) => lines.push(l));
      assert.ok(ds);
      assert.ok(ds!.table.numRows() > 0);
      assert.deepStrictEqual(lines, []);
    } finally {
      delete process.env.RAYDINO_DATA_ROOT;
      fs.rmSync(path.dirname(named), { recursive: true, force: true });
    }
  });

  it('a set that is there but broken still fails (only a missing root is skipped)', async () => {
    const root = fixtureRoot('nih');
    fs.rmSync(path.join(root, 'Data_Entry_2017_v2020.csv'), { force: true });
    const m = manifestWith('nih-chestxray14');
    await assert.rejects(optionalDataset(loadDataset(m, { root }), 'Fig 2a', () => assert.fail('must not skip')), /missing metadata file/);
  });
});
