/**
 * The notebooks import the built library as a package (`raydino-lab/dist/...`); a renamed or moved export breaks a notebook
 * only when `npm run figures` reaches that cell, twenty minutes in. This compiles every notebook's code cells — in order,
 * as one module, the way tslab sees them — against dist/ and fails naming the notebook, line and error. `npm test` builds
 * dist/ first; run alone, it skips when dist/ is missing.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
const NOTEBOOKS = path.join(ROOT, 'notebooks');

/** A notebook's code cells joined into one TypeScript module (tslab's `display` declared). */
function notebookModule(ipynb: string): string {
  const nb = JSON.parse(fs.readFileSync(ipynb, 'utf8')) as { cells: { cell_type: string; source: string | string[] }[] };
  const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
  return ['declare const display: any;', 'export {};', ...code].join('\n') + '\n';
}

/** Type errors of the given modules (file name → source), resolved from the project root like the kernel does. */
function typeErrors(modules: Record<string, string>): string[] {
  const dir = path.join(ROOT, '.nbcheck');
  fs.mkdirSync(dir, { recursive: true });
  const files = Object.entries(modules).map(([name, text]) => { const f = path.join(dir, name); fs.writeFileSync(f, text); return f; });
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true, skipLibCheck: true, noEmit: true, strict: false,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  for (const f of files) fs.rmSync(f, { force: true });
  return diagnostics.filter((d) => d.file && files.includes(path.resolve(d.file.fileName))).map((d) => {
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${path.basename(d.file!.fileName, '.ts')}.ipynb line ${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('notebooks type-check against the built library', function () {
  this.timeout(180_000);
  const built = fs.existsSync(path.join(ROOT, 'dist', 'index.js'));

  (built ? it : it.skip)('every notebook\'s code cells compile against dist/', () => {
    const notebooks = fs.readdirSync(NOTEBOOKS).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();
    assert.ok(notebooks.length >= 8, `found ${notebooks.length} notebooks`);
    const errors = typeErrors(Object.fromEntries(notebooks.map((f) => [f.replace(/\.ipynb$/, '.ts'), notebookModule(path.join(NOTEBOOKS, f))])));
    assert.deepEqual(errors, []);
  });

  (built ? it : it.skip)('would name a notebook importing a symbol the library does not export', () => {
    const errors = typeErrors({ 'probe-broken.ts': "import { noSuchExport } from 'raydino-lab/dist/analysis';\nnoSuchExport();\n" });
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^probe-broken\.ipynb line 1: .*noSuchExport/);
  });
});
