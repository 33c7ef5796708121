/** Figure layout from measured text: a canvas as wide as what is drawn, long titles wrapped to the figure under them. */
import { strict as assert } from 'assert';
import { findFontFiles } from '../../lib/report/fonts';
import { specToSvg, useMeasuredTextWidths, wrapText } from '../../lib/report/vega-render';
import type { VegaLiteSpec } from '../../lib/report/vega-render';

const svgWidth = (svg: string): number => Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]);
const bars = (title: string): VegaLiteSpec => ({
  title, width: 200, height: 100, config: { font: 'DejaVu Sans', title: { fontSize: 14 } },
  data: { values: [{ x: 'a', y: 1 }, { x: 'b', y: 2 }] }, mark: 'bar',
  encoding: { x: { field: 'x', type: 'nominal' }, y: { field: 'y', type: 'quantitative' } },
});

describe('vega-render: measured text', () => {
  it('wrapText: greedy lines on spaces, none wider than the width (a single long word stays whole)', () => {
    const m = (t: string) => t.length * 10;
    assert.deepEqual(wrapText('aa bb cc dd', 50, m), ['aa bb', 'cc dd']);
    assert.deepEqual(wrapText('  aa   bb ', 1000, m), ['aa bb']);
    assert.deepEqual(wrapText('averyveryverylongword x', 50, m), ['averyveryverylongword', 'x']);
    assert.deepEqual(wrapText('', 50, m), []);
  });

  const haveFonts = findFontFiles().length > 0;
  (haveFonts ? it : it.skip)('measures with DejaVu Sans: a 60-character title costs its drawn width, not 0.8 em per character', async () => {
    assert.equal(useMeasuredTextWidths(), true);
    const title = 'x'.repeat(60);
    const w = svgWidth(await specToSvg(bars(title)));
    // vega's estimate alone would reserve 0.8 × 14 × 60 = 672 px for the title; DejaVu Sans Bold 'x' is ~0.69 em
    assert.ok(w < 640 && w > 500, `canvas ${w} px`);
  });

  (haveFonts ? it : it.skip)('a title wider than its figure is wrapped to the figure width; a short one is left alone', async () => {
    const short = await specToSvg(bars('Fig 1 · short'));
    assert.match(short, /Fig 1 · short/);
    const long = 'Fig 9 · a title that runs on and on about what the figure shows, far wider than its two bars';
    const svg = await specToSvg(bars(long));
    const plain = svgWidth(await specToSvg(bars('')));
    assert.ok(svgWidth(svg) <= Math.max(plain, 330) + 2, `wrapped canvas ${svgWidth(svg)} px vs ${plain} px without a title`);
    const titleText = /role-title-text[^>]*>\s*<text[^>]*>(.*?)<\/text>/s.exec(svg)![1];
    const drawn = [...titleText.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]);
    assert.ok(drawn.length >= 2, `title drawn on ${drawn.length} line(s)`);
    assert.equal(drawn.join(' '), long);
  });
});
