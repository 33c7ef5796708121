import assert from 'assert';
import path from 'path';
import { loadDataset } from '../../../lib/data/load';
import { cleanupRoots, fixtureRoot, manifestWith, writeImage } from '../helpers/fixtures';

describe('parsers/padchest', () => {
  let root: string;
  before(async () => {
    root = fixtureRoot('padchest');
    for (const [dir, id] of [['0', '20536686640136348236148679891455886468_k6ga29.png'], ['0', '135803415504923515076821959678074435083_fzis7d.png'],
      ['54', '216840111366964012989926673512011088104234744_00-006-045.png'], ['54', '216840111366964013076187734852011178093215563_01-043-185.png']]) {
      await writeImage(path.join(root, dir, id), 'png16', 6, 4);
    }
  });
  after(cleanupRoots);

  it('parses list-literal labels, age from birth year, frontal projections, 16-bit images', async () => {
    const ds = await loadDataset(manifestWith('padchest'), { root });
    const rows = ds.table.objects() as Record<string, unknown>[];
    assert.strictEqual(rows.length, 4); // the lateral (L) row is filtered out
    const [a, b, c, d] = rows;
    assert.strictEqual(a.normal, 1);
    assert.strictEqual(a.emphysema, 0);
    assert.strictEqual(a.age, 84); // 2014 - 1930
    assert.strictEqual(a.sex, 'F');
    assert.strictEqual(b['COPD signs'], 1);
    assert.strictEqual(b.emphysema, 1);
    assert.strictEqual(b.normal, 0);
    assert.strictEqual(c.view, 'AP_horizontal');
    assert.strictEqual(c['pleural effusion'], 1);
    assert.strictEqual(c.cardiomegaly, 1);
    assert.ok(Number.isNaN(d.normal as number)); // empty Labels list → unlabelled
    assert.strictEqual(c.patient, d.patient);
    assert.strictEqual(c.split, d.split); // same patient, same split
    assert.deepStrictEqual([a.width, a.height], [2320, 2828]);
    const img = await ds.loadImage(a.id as string);
    assert.deepStrictEqual([img.width, img.height], [6, 4]);
    assert.strictEqual(img.data[img.data.length - 1], 1); // 65535 / 65535
  });

  it('reports an unparsable Labels cell with file and line', async () => {
    const fs = await import('fs');
    const f = path.join(root, 'PADCHEST_chest_x_ray_images_labels_160K_01.02.19.csv');
    const text = fs.readFileSync(f, 'utf8').replace("['normal'],[]", "['normal',[]");
    const bad = fixtureRoot('padchest');
    fs.writeFileSync(path.join(bad, path.basename(f)), text);
    await assert.rejects(loadDataset(manifestWith('padchest'), { root: bad }), /160K_01\.02\.19\.csv:2 column 'Labels': not a Python list literal/);
  });
});
