import assert from 'assert';
import { assignSplits, mergeGroups, splitGroups } from '../../lib/data/split';
import { SplitRuleSchema } from '../../lib/data/manifest';
import { createRng } from '../../lib/engine/rng';
import type { SampleRecord } from '../../lib/data/record';

function rec(id: string, patient: string, extra: Partial<SampleRecord> = {}): SampleRecord {
  return { id, path: null, patient, study: id, view: null, sex: null, age: null, width: null, height: null, labels: {}, ...extra };
}

describe('splitGroups', () => {
  it('is seeded, order-independent and cuts 80/10/10 of patients', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `p${i}`);
    const a = splitGroups(ids, { train: 0.8, val: 0.1, test: 0.1 }, 3);
    const b = splitGroups(createRng(1).shuffle(ids), { train: 0.8, val: 0.1, test: 0.1 }, 3);
    assert.deepStrictEqual([...a].sort(), [...b].sort());
    const c = splitGroups(ids, { train: 0.8, val: 0.1, test: 0.1 }, 4);
    assert.notDeepStrictEqual([...a].sort(), [...c].sort());
    const n = { train: 0, val: 0, test: 0 };
    for (const s of a.values()) n[s]++;
    assert.deepStrictEqual(n, { train: 800, val: 100, test: 100 });
  });
});

describe('assignSplits', () => {
  it('never puts a patient in two splits (random multi-image patients, several seeds)', () => {
    const rng = createRng(11);
    const records: SampleRecord[] = [];
    for (let i = 0; i < 3000; i++) records.push(rec(`i${i}`, `p${rng.int(400)}`));
    for (const seed of [0, 1, 2]) {
      const splits = assignSplits(records, SplitRuleSchema.parse({ rule: 'patient', seed }));
      const seen = new Map<string, string>();
      records.forEach((r, i) => {
        const prev = seen.get(r.patient);
        if (prev) assert.strictEqual(prev, splits[i], `patient ${r.patient} in ${prev} and ${splits[i]}`);
        seen.set(r.patient, splits[i]);
      });
      assert.deepStrictEqual(new Set(splits), new Set(['train', 'val', 'test']));
    }
  });
  it('keeps merged groups together', () => {
    const groups = mergeGroups(['a', 'b', 'c', 'd'], [['a', 'c'], ['c', 'd']]);
    assert.deepStrictEqual([...groups.values()], ['a', 'b', 'a', 'a']);
    const records = Array.from({ length: 200 }, (_, i) => rec(`x${i}`, `q${i % 50}`, { group: i % 50 < 2 ? 'g' : undefined }));
    const splits = assignSplits(records, SplitRuleSchema.parse({ rule: 'patient', seed: 5 }));
    const inG = new Set(records.map((r, i) => (r.group === 'g' ? splits[i] : null)).filter(Boolean));
    assert.strictEqual(inG.size, 1);
  });
  it('official: keeps given splits, carves val from train patients, errors without a split', () => {
    const records = Array.from({ length: 100 }, (_, i) => rec(`o${i}`, `p${i % 40}`, { split: i % 40 < 30 ? 'train' : 'test' }));
    const s = assignSplits(records, SplitRuleSchema.parse({ rule: 'official', valFraction: 0.2, seed: 1 }));
    records.forEach((r, i) => { if (r.split === 'test') assert.strictEqual(s[i], 'test'); });
    const valPatients = new Set(records.filter((_, i) => s[i] === 'val').map((r) => r.patient));
    assert.strictEqual(valPatients.size, 6); // 20 % of 30 training patients
    assert.throws(() => assignSplits([rec('z', 'p', { file: 'f.csv', line: 9 })], SplitRuleSchema.parse({ rule: 'official' })), /no split for sample 'z' \(f\.csv:9\)/);
  });
  it('parity: odd numbers train, even test (JSRT)', () => {
    const s = assignSplits([rec('JPCLN001', 'a'), rec('JPCLN002', 'b'), rec('JPCNN093', 'c')], SplitRuleSchema.parse({ rule: 'parity', val: 'train' }));
    assert.deepStrictEqual(s, ['train', 'test', 'train']);
  });
});
