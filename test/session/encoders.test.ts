/** Encoder discovery: RAYDINO_ENCODERS entries are checked when discovered, and names are unique. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { discoverEncoders, pickEncoders, userEncoders, withRandomFloors } from '../../lib/session/encoders';
import { profilePopulations } from '../../lib/data/synthetic/populations';
import { getProfile } from '../../lib/config/profiles';
import type { SessionEncoder } from '../../lib/session/encoders';

describe('discoverEncoders / RAYDINO_ENCODERS', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-encoders-'));
  const empty = path.join(dir, 'checkpoints');
  const good = path.join(dir, 'good.safetensors');
  const cut = path.join(dir, 'cut.safetensors');
  before(() => {
    fs.mkdirSync(empty);
    // a minimal valid safetensors file: one float32 tensor of 2 values
    const header = Buffer.from(JSON.stringify({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    fs.writeFileSync(good, Buffer.concat([len, header, Buffer.alloc(8)]));
    fs.writeFileSync(cut, Buffer.concat([len, header, Buffer.alloc(4)]));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('accepts existing, readable entries', () => {
    assert.deepEqual(userEncoders(`mine=${good}; rnd=random:vit_nano:1`).map((e) => [e.name, e.spec, e.kind]),
      [['mine', good, 'user'], ['rnd', 'random:vit_nano:1', 'user']]);
  });

  it('rejects a missing file, a damaged file and a malformed entry at discovery, naming the entry', () => {
    assert.throws(() => discoverEncoders({ dir: empty, env: `mine=${path.join(dir, 'nope.onnx')}` }),
      new RegExp(`^Error: RAYDINO_ENCODERS: encoder 'mine' not found at ${path.join(dir, 'nope.onnx')}$`));
    assert.throws(() => discoverEncoders({ dir: empty, env: `bad=${cut}` }),
      (e: Error) => e.message.startsWith(`RAYDINO_ENCODERS: encoder 'bad': ${cut}: tensor w ends at byte`) && /download it again$/.test(e.message));
    assert.throws(() => userEncoders('just-a-path.onnx'), /invalid RAYDINO_ENCODERS entry: 'just-a-path.onnx' \(expected name=path\)/);
  });

  it('rejects two encoders under one name, naming both', () => {
    assert.throws(() => discoverEncoders({ dir: empty, env: `x=${good};x=random:vit_nano:0` }),
      new RegExp(`^Error: duplicate encoder name 'x': ${good} \\(user\\) and random:vit_nano:0 \\(user\\)`));
    assert.throws(() => discoverEncoders({ dir: empty, env: `x=${good}`, extra: [{ name: 'x', spec: 'random:vit_nano:1', kind: 'random' }] }), /duplicate encoder name 'x'/);
  });
});

describe('discoverEncoders order', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raydino-order-'));
  // weights files whose sizes disagree with the architecture sizes: the order must come from the architecture
  const ckpt = (name: string, arch: string, bytes: number, populations?: string[]) => {
    const d = path.join(dir, name);
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'config.json'), JSON.stringify({ model: { arch }, data: populations ? { populations } : {} }));
    fs.writeFileSync(path.join(d, 'model.safetensors'), Buffer.alloc(bytes));
  };
  before(() => {
    ckpt('b-micro', 'vit_micro', 10);
    ckpt('a-nano-popA', 'vit_nano', 20, ['popA']);
    ckpt('z-nano', 'vit_nano', 30);
    ckpt('c-nano', 'vit_nano', 40);
    ckpt('supervised-x', 'vit_nano', 5);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sorts SSL checkpoints by architecture size, every-population before restricted, then name — not by file size', () => {
    const all = discoverEncoders({ dir, env: '' });
    assert.deepEqual(all.map((e) => e.name), ['c-nano', 'z-nano', 'a-nano-popA', 'b-micro', 'supervised-x', 'random-vit_nano', 'random-vit_micro']);
    assert.deepEqual(all[2].populations, ['popA']);
  });

  it('quick profile studies the every-population checkpoint of its architecture, whatever the listing order', () => {
    const all = discoverEncoders({ dir, env: '' });
    const quick = { name: 'quick' as const, encoder: { model: 'vit_nano', patchSize: 16, batchSize: 8, precision: 'fp32' as const } };
    assert.deepEqual(pickEncoders([...all].reverse(), quick).map((x) => x.name), ['z-nano', 'supervised-x']);
    assert.deepEqual(pickEncoders(all, quick, { withRandom: true }).map((x) => x.name), ['c-nano', 'supervised-x', 'random-vit_nano']);
  });
});

describe('pickEncoders', () => {
  const e = (name: string, kind: SessionEncoder['kind'], arch?: string): SessionEncoder => ({ name, spec: name, kind, arch });
  const all = [e('ssl-nano', 'ssl', 'vit_nano'), e('ssl-tiny', 'ssl', 'vit_tiny'), e('sup', 'supervised'), e('rnd', 'random', 'vit_nano')];
  it('quick: the SSL encoder of the profile architecture + the supervised baseline; full: all', () => {
    assert.deepEqual(pickEncoders(all, { name: 'quick', encoder: { model: 'vit_nano', patchSize: 16, batchSize: 8, precision: 'fp32' } }).map((x) => x.name), ['ssl-nano', 'sup']);
    assert.deepEqual(pickEncoders(all, { name: 'quick', encoder: { model: 'vit_small', patchSize: 16, batchSize: 8, precision: 'fp32' } }).map((x) => x.name), ['ssl-tiny', 'sup']);
    assert.equal(pickEncoders(all, { name: 'full', encoder: { model: 'vit_small', patchSize: 16, batchSize: 8, precision: 'fp32' } }).length, 4);
    assert.deepEqual(pickEncoders(all, { name: 'quick', encoder: { model: 'vit_nano', patchSize: 16, batchSize: 8, precision: 'fp32' } }, { withRandom: true }).map((x) => x.name), ['ssl-nano', 'sup', 'rnd']);
    assert.deepEqual(pickEncoders(all, { name: 'quick', encoder: { model: 'vit_tiny', patchSize: 16, batchSize: 8, precision: 'fp32' } }, { withRandom: true }).map((x) => x.name), ['ssl-tiny', 'sup'], 'no random init of vit_tiny');
    assert.deepEqual(pickEncoders([all[3]], { name: 'quick', encoder: { model: 'vit_nano', patchSize: 16, batchSize: 8, precision: 'fp32' } }).map((x) => x.name), ['rnd']);
  });
});

describe('withRandomFloors / profilePopulations', () => {
  it('adds random-<arch> for SSL and supervised architectures that lack one', () => {
    const e: SessionEncoder[] = [
      { name: 's', spec: 'x', kind: 'supervised', arch: 'vit_nano' },
      { name: 'm', spec: 'y', kind: 'ssl', arch: 'vit_micro' },
      { name: 'random-vit_micro', spec: 'random:vit_micro:0', kind: 'random', arch: 'vit_micro' },
    ];
    assert.deepEqual(withRandomFloors(e).map((x) => x.name), ['s', 'm', 'random-vit_micro', 'random-vit_nano']);
    assert.equal(withRandomFloors(e)[3].spec, 'random:vit_nano:0');
  });
  it('takes the profile\'s number of populations (at least 2)', () => {
    assert.deepEqual(profilePopulations(getProfile('quick')), ['popA', 'popB']);
    assert.deepEqual(profilePopulations(getProfile('quick', { data: { populations: 1 } })), ['popA', 'popB']);
  });
});
