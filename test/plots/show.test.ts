import { strict as assert } from 'assert';
import * as aq from 'arquero';
import { show, showImage, showTable, tableHtml, VEGALITE_MIME } from '../../lib/plots/show';
import { fakeKernel } from '../engine/fake-kernel';
import { barSpec, PNG_SIGNATURE, validateVegaLite } from '../report/helpers';

describe('show', () => {
  it('sends vega-lite JSON, SVG and text in one bundle', async () => {
    const k = fakeKernel();
    try {
      await show(barSpec(), { png: true });
      const svg = String(k.sent[0].content.data['image/svg+xml']);
      assert.equal(k.sent.length, 1);
      const data = k.sent[0].content.data;
      assert.deepEqual(Object.keys(data).sort(), ['image/png', 'image/svg+xml', 'text/plain', VEGALITE_MIME].sort());
      validateVegaLite(data[VEGALITE_MIME]);
      assert.ok(svg.startsWith('<svg'));
      assert.deepEqual(Buffer.from(data['image/png'] as string, 'base64').subarray(0, 8), PNG_SIGNATURE);
      assert.equal(data['text/plain'], '[figure: GFLOP/s by size]');
    } finally { k.remove(); }
  });
});

describe('showTable', () => {
  it('HTML with escaped cells, numeric right-aligned, row limit caption', () => {
    const t = aq.table({ name: ['<a>', 'b', 'c'], v: [0.5, 1, 2] });
    assert.equal(tableHtml(t, { limit: 2, digits: 1 }), [
      '<table><caption>1 more rows of 3</caption>',
      '<thead><tr><th style="text-align:left">name</th><th style="text-align:right">v</th></tr></thead>',
      '<tbody>',
      '<tr><td style="text-align:left">&lt;a&gt;</td><td style="text-align:right">0.5</td></tr>',
      '<tr><td style="text-align:left">b</td><td style="text-align:right">1</td></tr>',
      '</tbody>',
      '</table>',
    ].join('\n'));
  });

  it('sends HTML and markdown to the notebook', () => {
    const k = fakeKernel();
    try {
      showTable([{ a: 1 }]);
      assert.deepEqual(k.sent[0].content.data['text/plain'], '| a |\n|---:|\n| 1 |\n');
      assert.match(String(k.sent[0].content.data['text/html']), /^<table>/);
      showImage(new Uint8Array([1, 2]), { alt: 'x' });
      assert.deepEqual(k.sent[1].content.data, { 'image/png': 'AQI=', 'text/plain': '[image: x]' });
    } finally { k.remove(); }
  });
});
