import { strict as assert } from 'assert';
import { getProtocol, listProtocols, PROTOCOLS } from '../../lib/eval/registry';
import { evalClassification } from '../../lib/eval/grid/classification';
import { evalSegmentation } from '../../lib/eval/dense/segmentation';
import { headOptionsSchema } from '../../lib/eval/protocol';

describe('PROTOCOLS', () => {
  it('names every protocol once and hands back the function', () => {
    const names = listProtocols();
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.includes('classification') && names.includes('segmentation') && names.includes('spurious-cue'));
    assert.equal(getProtocol('classification'), evalClassification);
    assert.equal(getProtocol('segmentation'), evalSegmentation);
    assert.equal(new Set(Object.values(PROTOCOLS)).size, names.length);
  });
  it('every protocol takes one argument (its ProtocolInput; the type is checked by the compiler in registry.ts)', () => {
    const other = listProtocols().filter((n) => PROTOCOLS[n].length !== 1);
    assert.deepEqual(other, []);
  });
  it('an unknown name throws naming the registered ones', () => {
    assert.throws(() => getProtocol('nope' as any), /unknown protocol nope \(registered: classification, /);
  });
});

describe('headOptionsSchema', () => {
  it('is the head grid schema: its checks, and nothing a protocol may not set', () => {
    assert.deepEqual(Object.keys(headOptionsSchema.shape).sort(), ['batchSize', 'centreKeys', 'configs', 'engine', 'epochs', 'grid', 'hidden', 'workers']);
    assert.throws(() => headOptionsSchema.parse({ epochs: 0 }));
    assert.throws(() => headOptionsSchema.parse({ grid: { poolings: ['max'] } }));
    assert.equal(headOptionsSchema.parse({}).engine, 'ort');
  });
});
