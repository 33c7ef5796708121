import { strict as assert } from 'assert';
import { blasFromMaps, blasNote } from '../../lib/bench/python';

// Lines in the shape of /proc/<pid>/maps (address perms offset dev inode path) for the BLAS set-ups a reference can meet.
const line = (p: string) => `7f1c2a000000-7f1c2a200000 r-xp 00000000 08:01 123456                     ${p}`;
const TORCH = line('/usr/lib/python3/dist-packages/torch/lib/libtorch_cpu.so');

describe('bench: the BLAS a PyTorch reference linked', () => {
  it("Netlib's reference libblas.so.3 alone reads 'reference' and gets the slow-reference warning", () => {
    const maps = [TORCH, line('/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0'), '[heap]', ''].join('\n');
    assert.equal(blasFromMaps(maps), 'reference');
    assert.match(blasNote(blasFromMaps(maps)), /SLOW REFERENCE.*libopenblas0-pthread/);
  });

  it('OpenBLAS behind the libblas.so.3 alternative is named by its flavour, with no warning', () => {
    const maps = [TORCH, line('/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3'), line('/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0')].join('\n');
    assert.equal(blasFromMaps(maps), 'openblas-pthread');
    assert.equal(blasNote('openblas-pthread'), '');
  });

  it('MKL and a wheel with its BLAS inside libtorch_cpu', () => {
    assert.equal(blasFromMaps([TORCH, line('/opt/intel/lib/libmkl_rt.so.2')].join('\n')), 'libmkl_rt');
    assert.equal(blasFromMaps(TORCH), 'bundled');
    assert.equal(blasNote('bundled'), '');
  });
});
