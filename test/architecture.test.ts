/**
 * docs/architecture.md draws lib/ as layers; this keeps the drawing true. A module may import from its own layer or a lower
 * one, never a higher one (a protocol may use a head, a head never knows a protocol), and no module outside lib/ may be
 * imported from lib/. The layer table here and the one in docs/architecture.md are the same table; a test reads the doc.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const LIB = path.join(__dirname, '..', 'lib');
const DOC = path.join(__dirname, '..', 'docs', 'architecture.md');

/** Layer rank per top-level folder of lib/, read from the doc's table rows `| n | `folder`, `folder` | … |`. */
function layersFromDoc(markdown: string): Map<string, number> {
  const ranks = new Map<string, number>();
  for (const line of markdown.split('\n')) {
    const m = /^\|\s*(\d+)\s*\|([^|]*)\|/.exec(line);
    if (!m) continue;
    for (const f of m[2].matchAll(/`([a-z-]+)\/`/g)) ranks.set(f[1], Number(m[1]));
  }
  return ranks;
}

interface Edge { file: string; from: string; to: string; spec: string }

/** Relative imports of one TypeScript source that leave its top-level folder. */
function crossingImports(file: string, source: string, root: string): Edge[] {
  const top = (p: string): string => path.relative(root, p).split(path.sep)[0];
  const edges: Edge[] = [];
  for (const m of source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']*)'/g)) {
    const target = path.resolve(path.dirname(file), m[1]);
    const from = top(file), to = path.relative(root, target).startsWith('..') ? '(outside lib)' : top(target);
    if (from !== to) edges.push({ file: path.relative(root, file), from, to, spec: m[1] });
  }
  return edges;
}

/** Edges that go up a layer (or out of lib/); a folder missing from the table is an error of its own. */
function violations(edges: readonly Edge[], ranks: ReadonlyMap<string, number>): string[] {
  const out: string[] = [];
  for (const e of edges) {
    if (e.from.endsWith('.ts')) continue; // lib/index.ts re-exports every folder: the package's front door
    const a = ranks.get(e.from), b = ranks.get(e.to);
    if (a === undefined) out.push(`${e.file}: folder '${e.from}/' is not in the layer table of docs/architecture.md`);
    else if (b === undefined) out.push(`${e.file}: imports '${e.spec}' — '${e.to}' is not a layer of lib/`);
    else if (b > a) out.push(`${e.file}: layer ${a} (${e.from}/) imports layer ${b} (${e.to}/) via '${e.spec}'`);
  }
  return out;
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sources(p) : /\.ts$/.test(d.name) && !/\.d\.ts$/.test(d.name) ? [p] : [];
  });
}

describe('architecture: lib/ layers as docs/architecture.md draws them', () => {
  const ranks = layersFromDoc(fs.readFileSync(DOC, 'utf8'));

  it('the doc names a layer for every top-level folder of lib/', () => {
    const folders = fs.readdirSync(LIB, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    assert.deepEqual(folders.filter((f) => !ranks.has(f)), [], 'folders of lib/ missing from the layer table');
    assert.deepEqual([...ranks.keys()].filter((f) => !folders.includes(f)).sort(), [], 'layer table names folders lib/ does not have');
  });

  it('no module imports a higher layer', () => {
    const edges = sources(LIB).flatMap((f) => crossingImports(f, fs.readFileSync(f, 'utf8'), LIB));
    assert.ok(edges.length > 100, `only ${edges.length} cross-folder imports found: the import scan is broken`);
    assert.deepEqual(violations(edges, ranks), []);
  });

  it('the check catches an upward import, an unknown folder and an import out of lib/', () => {
    const root = '/r/lib';
    const src = "import { a } from '../../eval/x';\nimport type { B } from '../../nowhere/y';\nconst c = import('../../../scripts/z');\n";
    const edges = crossingImports(path.join(root, 'adapters', 'grid', 'f.ts'), src, root);
    assert.deepEqual(edges.map((e) => e.to), ['eval', 'nowhere', '(outside lib)']);
    const v = violations(edges, new Map([['adapters', 4], ['eval', 5]]));
    assert.equal(v.length, 3);
    assert.match(v[0], /adapters\/grid\/f\.ts: layer 4 \(adapters\/\) imports layer 5 \(eval\/\)/);
    assert.match(v[1], /'nowhere' is not a layer/);
    assert.deepEqual(violations(crossingImports(path.join(root, 'eval', 'g.ts'), "import { h } from '../adapters/h';", root), new Map([['adapters', 4], ['eval', 5]])), []);
  });
});
