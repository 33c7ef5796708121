import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { readMat, matGet } from '../../lib/data/mat';
import { FIXTURES, reference } from './helpers/fixtures';

const dir = path.join(FIXTURES, 'aasce/boostnet_labeldata/labels/training');

describe('readMat', () => {
  it('reads doubles and int16 matrices column-major (scipy.io.savemat, uncompressed)', () => {
    const m = readMat(fs.readFileSync(path.join(dir, 'sunhl-1th-02-Jan-2017-163 B AP.jpg.mat')));
    const other = m.get('other')!;
    assert.deepStrictEqual(other.dims, [2, 3]);
    assert.strictEqual(other.className, 'int16');
    assert.deepStrictEqual([matGet(other, 0, 0), matGet(other, 0, 2), matGet(other, 1, 0), matGet(other, 1, 2)], [0, 2, 3, 5]);
    const p2 = m.get('p2')!;
    assert.deepStrictEqual(p2.dims, [68, 2]);
    assert.strictEqual(matGet(p2, 67, 1), reference().aasce.p2_b[67][1]);
  });
  it('reads zlib-compressed elements', () => {
    const m = readMat(fs.readFileSync(path.join(dir, 'sunhl-1th-02-Jan-2017-162 A AP.jpg.mat')));
    assert.strictEqual(matGet(m.get('p2')!, 5, 0), reference().aasce.p2_a[5][0]);
  });
  it('rejects non-MAT and v7.3 files with the file name', () => {
    assert.throws(() => readMat(Buffer.alloc(200), 'x.mat'), /x\.mat: not a MAT v5 file/);
    const h = Buffer.alloc(200); h.write('MATLAB 7.3 MAT-file, HDF5');
    assert.throws(() => readMat(h, 'y.mat'), /y\.mat: not a MAT v5 file .*v7\.3 HDF5 files are not supported/);
  });
});
