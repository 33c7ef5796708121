import { strict as assert } from 'assert';
import { displayBundle, inNotebook } from '../../lib/engine/jupyter-display';
import { fakeKernel } from './fake-kernel';

describe('displayBundle', () => {
  it('does nothing outside a notebook', () => {
    assert.equal(inNotebook(), false);
    assert.equal(displayBundle({ 'text/plain': 'x' }), false);
  });

  it('sends every MIME type in one message, binary as base64, JSON as objects', () => {
    const k = fakeKernel();
    try {
      assert.equal(inNotebook(), true);
      const png = new Uint8Array([137, 80, 78, 71]);
      assert.equal(displayBundle({ 'image/png': png, 'application/json': { a: 1 }, 'text/plain': 'p' }, { displayId: 'abc' }), true);
      assert.equal(k.sent.length, 1);
      assert.deepEqual(k.sent[0].content.data, { 'image/png': 'iVBORw==', 'application/json': { a: 1 }, 'text/plain': 'p' });
      assert.equal(k.sent[0].content.transient.display_id, 'abc');
      assert.equal(k.sent[0].update, false);
    } finally { k.remove(); }
  });

  it('RAYDINO_NOTEBOOK=0 turns rich display off', () => {
    const k = fakeKernel();
    process.env.RAYDINO_NOTEBOOK = '0';
    try {
      assert.equal(inNotebook(), false);
      assert.equal(displayBundle({ 'text/plain': 'x' }), false);
      assert.equal(k.sent.length, 0);
    } finally { delete process.env.RAYDINO_NOTEBOOK; k.remove(); }
  });
});
