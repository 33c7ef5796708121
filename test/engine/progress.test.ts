import { strict as assert } from 'assert';
import { formatProgress, progress } from '../../lib/engine/progress';
import { fakeKernel } from './fake-kernel';

function fakeStream(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, columns: 120, write: (s: string) => { out.push(s); return true; } } };
}

describe('formatProgress', () => {
  it('shows counts, percent, rate, eta and info', () => {
    assert.equal(formatProgress({ label: 'train', count: 30, total: 100, elapsedMs: 3000, info: { loss: '0.50' } }),
      'train 30/100 30% 10.0 it/s eta 7.0s loss=0.50');
  });
  it('draws a bar and a final duration', () => {
    assert.equal(formatProgress({ count: 4, total: 4, elapsedMs: 125000, barWidth: 8, finished: true }),
      '4/4 100% [########] 31.25 s/it in 2m05s');
  });
  it('slow loops show seconds per item', () => {
    assert.equal(formatProgress({ count: 1, total: 3, elapsedMs: 4000 }), '1/3 33% 4.00 s/it eta 8.0s');
  });
});

describe('progress', () => {
  // Detection depends on RAYDINO_PROGRESS (CI sets it to 'lines'): start every test without it.
  let saved: string | undefined;
  beforeEach(() => { saved = process.env.RAYDINO_PROGRESS; delete process.env.RAYDINO_PROGRESS; });
  afterEach(() => { if (saved === undefined) delete process.env.RAYDINO_PROGRESS; else process.env.RAYDINO_PROGRESS = saved; });

  it('lines mode (CI): one line per 10% step plus the final line', () => {
    const { out, stream } = fakeStream(false);
    let t = 0;
    const p = progress({ total: 100, label: 'x', stream, now: () => t, mode: 'lines' });
    for (let i = 0; i < 100; i++) { t += 10; p.tick(); }
    p.done();
    // first tick, then 10%, 20% … 100%, then done
    assert.equal(out.length, 12);
    assert.ok(out.every((l) => l.endsWith('\n') && l.startsWith('x ')));
    assert.match(out[1], /^x 10\/100 10% /);
    assert.match(out[11], /^x 100\/100 100% 100\.0 it\/s in 1\.0s\n$/);
  });

  it('a resumed run (start) shows the whole count but rates only its own steps', () => {
    assert.equal(formatProgress({ count: 604, total: 1000, elapsedMs: 16000, start: 600 }), '604/1000 60% 4.00 s/it eta 26m24s');
    const { out, stream } = fakeStream(false);
    let t = 0;
    const p = progress({ total: 1000, start: 600, stream, now: () => t, mode: 'lines', intervalMs: 1e9 });
    for (let i = 0; i < 100; i++) { t += 4000; p.tick(); }
    // first tick, then 70% only: the 60% decile was reached before this process
    assert.equal(out.length, 2);
    assert.match(out[0], /^601\/1000 60% 4\.00 s\/it eta 26m36s\n$/);
    assert.match(out[1], /^700\/1000 70% 4\.00 s\/it eta 20m00s\n$/);
    assert.throws(() => progress({ total: 10, start: 11 }), /invalid start: 11/);
  });

  it('lines mode prints after intervalMs even without a 10% step', () => {
    const { out, stream } = fakeStream(false);
    let t = 0;
    const p = progress({ total: 1000, stream, now: () => t, mode: 'lines', intervalMs: 1000 });
    p.tick(); t += 999; p.tick(); t += 2; p.tick();
    assert.equal(out.length, 2);
    assert.match(out[1], /^3\/1000 /);
  });

  it('tty mode redraws one line with a bar, throttled, newline at the end', () => {
    const { out, stream } = fakeStream(true);
    let t = 0;
    const p = progress({ total: 10, stream, now: () => t });
    assert.equal(p.mode, 'tty');
    for (let i = 0; i < 10; i++) { t += 30; p.tick(1, `step ${i}`); }
    p.done();
    assert.ok(out.length >= 3 && out.length <= 6, `draws: ${out.length}`);
    assert.ok(out.every((s) => s.startsWith('\r\x1b[2K')));
    assert.match(out[out.length - 1], /10\/10 100% \[#+\] .* step 9\n$/);
  });

  it('notebook mode: one display id, first display then updates', () => {
    const kernel = fakeKernel();
    try {
      let t = 0;
      const p = progress({ total: 3, label: 'nb', now: () => t });
      assert.equal(p.mode, 'notebook');
      p.tick(); t += 1000; p.tick(); t += 1000; p.tick(); p.done();
      const ids = new Set(kernel.sent.map((m) => m.content.transient.display_id));
      assert.equal(ids.size, 1);
      assert.deepEqual(kernel.sent.map((m) => m.update), [false, true, true, true]);
      assert.match(String(kernel.sent[3].content.data['text/plain']), /^nb 3\/3 100% /);
    } finally { kernel.remove(); }
  });

  it('silent when RAYDINO_PROGRESS=off; done is idempotent; bad totals throw', () => {
    const { out, stream } = fakeStream(true);
    process.env.RAYDINO_PROGRESS = 'off';
    try {
      const p = progress({ total: 2, stream });
      p.tick(); p.done(); p.done();
      assert.equal(p.mode, 'silent');
      assert.equal(out.length, 0);
    } finally { delete process.env.RAYDINO_PROGRESS; }
    process.env.RAYDINO_PROGRESS = 'lines';
    assert.equal(progress({ total: 1, stream: fakeStream(true).stream }).mode, 'lines');
    assert.throws(() => progress({ total: -1 }), /invalid total: -1/);
  });
});
