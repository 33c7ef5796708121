import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { saveFigure } from '../../lib/report/save-figure';
import { embedSvgMetadata, readSvgMetadata, specToSvg, svgToPng } from '../../lib/report/vega-render';
import { findFontFiles } from '../../lib/report/fonts';
import { resolveOutDir } from '../../lib/report/paths';
import { collectProvenance, projectRoot, Provenance } from '../../lib/engine/provenance';
import { barSpec, PNG_SIGNATURE, validateVegaLite } from './helpers';

describe('vega-render', () => {
  it('the test spec is valid vega-lite', () => validateVegaLite(barSpec()));

  it('specToSvg draws the bars and the title text', async () => {
    const svg = await specToSvg(barSpec());
    assert.match(svg, /^<svg [^>]*width="\d+" height="\d+"/);
    const bars = /<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/.exec(svg);
    assert.ok(bars, 'a rect mark group');
    assert.equal((bars[1].match(/<path /g) ?? []).length, 2);
    assert.ok(svg.includes('GFLOP/s by size'));
  });

  it('svgToPng gives a PNG of scale × the SVG size, with text pixels drawn', async () => {
    const svg = await specToSvg(barSpec());
    const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
    const png = svgToPng(svg, { scale: 2 });
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    const meta = await sharp(png).metadata();
    assert.equal(meta.width, 2 * w);
    assert.equal(meta.height, 2 * h);
    // Text drawn: the title band (top 30 px of the 2× image) holds dark pixels only if a font was found and used.
    if (findFontFiles().length) {
      const { data, info } = await sharp(png).extract({ left: 0, top: 0, width: meta.width!, height: 30 }).greyscale().raw().toBuffer({ resolveWithObject: true });
      let dark = 0;
      for (let i = 0; i < info.width * info.height; i++) if (data[i] < 100) dark++;
      assert.ok(dark > 50, `title pixels: ${dark}`);
    }
  });

  it('metadata round-trips, even with ]]> inside', () => {
    const meta = { a: 'x]]>y', n: 3 };
    const svg = embedSvgMetadata('<svg width="1" height="1"><rect/></svg>', meta);
    assert.ok(svg.startsWith('<svg width="1" height="1"><metadata id="raydino-provenance"><![CDATA['));
    assert.deepEqual(readSvgMetadata(svg), meta);
    assert.throws(() => embedSvgMetadata('<p>', meta), /no <svg> root/);
  });

  it('names the spec when vega-lite rejects it', async () => {
    await assert.rejects(specToSvg({ title: 'broken', mark: 'nope' } as never), /vega-lite cannot compile spec 'broken'/);
  });
});

describe('saveFigure', () => {
  let dir: string;
  let provenance: Provenance;
  before(async () => { provenance = await collectProvenance({ profile: 'quick', workers: 1 }); });
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-fig-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes SVG (with provenance metadata), PNG and a sidecar with the spec', async () => {
    const out = await saveFigure(barSpec(), 'gflops', { dir, scale: 1, provenance, meta: { paper: 'none' } });
    const expectedProfile = 'quick';
    assert.equal(out.svg, path.join(dir, 'gflops.svg'));
    const svg = fs.readFileSync(out.svg!, 'utf8');
    const meta = readSvgMetadata(svg) as { figure: string; paper: string; provenance: { package: string; profile: string; commit: string | null } };
    assert.equal(meta.figure, 'gflops');
    assert.equal(meta.paper, 'none');
    assert.equal(meta.provenance.package, 'raydino-lab');
    assert.equal(meta.provenance.profile, expectedProfile);
    // the SVG (with its CDATA metadata) parses as SVG: librsvg through sharp reads its size
    const sm = await sharp(Buffer.from(svg)).metadata();
    assert.equal(sm.format, 'svg');
    assert.deepEqual([sm.width, sm.height], [out.width, out.height]);
    const png = fs.readFileSync(out.png!);
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    const m = await sharp(png).metadata();
    assert.equal(m.width, out.width);
    assert.equal(m.height, out.height);
    const side = JSON.parse(fs.readFileSync(out.json, 'utf8'));
    assert.deepEqual(side.spec, barSpec());
    assert.deepEqual(side.files, { svg: 'gflops.svg', png: 'gflops.png' });
    assert.equal(side.provenance.commit, meta.provenance.commit);
  });

  it('svg only when asked; bad names rejected', async () => {
    const out = await saveFigure(barSpec(), 'only-svg', { dir, provenance, formats: ['svg'] });
    assert.equal(out.png, undefined);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['only-svg.json', 'only-svg.svg']);
    await assert.rejects(saveFigure(barSpec(), '../x', { dir, provenance }), /invalid figure\/table name: '\.\.\/x'/);
  });

  it('an empty figure throws naming it (every inline dataset empty, layered too) and writes nothing; a figure and a table of one name keep separate sidecars', async () => {
    const sub = fs.mkdtempSync(path.join(dir, 'empty-'));
    const empty = { ...barSpec(), data: { values: [] } };
    await assert.rejects(saveFigure(empty, 'fig4c-sex', { dir: sub, provenance }), /figure 'fig4c-sex'.*has no data rows/);
    const layered = { $schema: barSpec().$schema, layer: [{ ...empty }, { ...empty, mark: 'rule' }] } as typeof empty;
    await assert.rejects(saveFigure(layered, 'layered', { dir: sub, provenance }), /has no data rows/);
    assert.deepEqual(fs.readdirSync(sub), []);
    const { saveTable } = await import('../../lib/report/save-table');
    const fig = await saveFigure(barSpec(), 'fig2a', { dir: sub, provenance, formats: ['svg'] });
    const tab = await saveTable([{ a: 1 }], 'fig2a', { dir: sub, provenance });
    assert.notEqual(fig.json, tab.json);
    assert.deepEqual(JSON.parse(fs.readFileSync(fig.json, 'utf8')).spec, barSpec());
    assert.equal(JSON.parse(fs.readFileSync(tab.json, 'utf8')).table, 'fig2a');
  });

  it('relative dirs resolve against the project root, figures/ against RAYDINO_FIGURES_DIR', () => {
    assert.equal(resolveOutDir('out/a'), path.join(projectRoot(), 'out', 'a'));
    assert.equal(resolveOutDir('figures/00-x'), path.join(projectRoot(), 'figures', '00-x'));
    process.env.RAYDINO_FIGURES_DIR = dir;
    try { assert.equal(resolveOutDir('figures/00-x'), path.join(dir, '00-x')); } finally { delete process.env.RAYDINO_FIGURES_DIR; }
  });
});
