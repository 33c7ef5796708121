import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../lib/engine/backend';
import { createRng } from '../../lib/engine/rng';
import { ReportModel, WordVocab } from '../../lib/text';

const SAMPLES = [
  { indication: '60-year-old man with cough.', findings: 'Small left pleural effusion. No pneumothorax.' },
  { indication: '30-year-old woman with fever.', findings: 'The lungs are clear. Heart size is normal.' },
  { indication: '70-year-old man with hypoxia.', findings: 'Moderate cardiomegaly. Mild pulmonary edema bilaterally.' },
  { indication: '45-year-old woman with fall.', findings: 'Fracture of the right 5th rib. No pneumothorax.' },
];
const CFG = { dModel: 16, heads: 2, prefixTokens: 2, maxText: 24, seed: 7 };

function feats(n: number, tokens = 4, dim = 8) {
  const r = createRng(1);
  const patches = new Float32Array(n * tokens * dim);
  for (let i = 0; i < patches.length; i++) patches[i] = r.normal();
  return { patches, n, tokens, dim };
}

describe('ReportModel (adapter + causal LM, tfjs)', () => {
  before(async () => { await initBackend(); });
  const vocab = WordVocab.build(SAMPLES.flatMap((s) => [s.indication, s.findings]));

  it('vocabulary: deterministic, <unk> for unknown words, empty text is an error', () => {
    assert.deepStrictEqual(WordVocab.build(SAMPLES.map((s) => s.findings)).tokens, WordVocab.build(SAMPLES.map((s) => s.findings)).tokens);
    const e = vocab.encode('small zebra effusion');
    assert.strictEqual(e.unknown, 1);
    assert.strictEqual(vocab.decode(e.ids), 'small <unk> effusion');
    assert.throws(() => vocab.encode('  ', 'syn-1 findings'), /syn-1 findings is empty/);
  });

  it('text-only loss decreases, captioning loss decreases, no tensor leak per step', () => {
    const m = new ReportModel(vocab, CFG);
    const l1 = m.train(SAMPLES, null, { steps: 60, batch: 4, lr: 1e-2, seed: 1 });
    assert.ok(l1[l1.length - 1] < 0.5 * l1[0], `text loss ${l1[0]} → ${l1[l1.length - 1]}`);
    const f = feats(4);
    m.train(SAMPLES, f, { steps: 2, batch: 4, lr: 1e-2, seed: 2 }); // builds the adapter and caches masks
    const before = tf.memory().numTensors;
    const l2 = m.train(SAMPLES, f, { steps: 40, batch: 4, lr: 1e-2, seed: 2 });
    assert.strictEqual(tf.memory().numTensors, before, 'tensors leaked by training steps');
    assert.ok(l2[l2.length - 1] < l2[0], `caption loss ${l2[0]} → ${l2[l2.length - 1]}`);
    const g0 = m.generate(SAMPLES.map((s) => s.indication), f);
    assert.strictEqual(tf.memory().numTensors, before, 'tensors leaked by decoding');
    assert.strictEqual(g0.length, 4);
    m.dispose();
  });

  it('memorises a tiny set: greedy decoding reproduces the findings', () => {
    const m = new ReportModel(vocab, CFG);
    m.train(SAMPLES, null, { steps: 150, batch: 4, lr: 1e-2, seed: 3 });
    const out = m.generate(SAMPLES.map((s) => s.indication), null);
    const hits = out.filter((o, i) => o === vocab.decode(vocab.encode(SAMPLES[i].findings).ids)).length;
    assert.ok(out.some((o) => o.includes(' . ')), 'sentence periods are generated');
    assert.ok(hits >= 3, JSON.stringify(out));
    m.dispose();
  });

  it('beam decoding: width 1 is greedy; width 3 scores at least as high; findingsLogProb is the captioning loss', () => {
    const m = new ReportModel(vocab, CFG);
    const f = feats(4);
    m.train(SAMPLES, null, { steps: 40, batch: 4, lr: 1e-2, seed: 4 });
    m.train(SAMPLES, f, { steps: 10, batch: 4, lr: 1e-2, seed: 4 });
    const inds = SAMPLES.map((s) => s.indication);
    const greedy = m.generate(inds, f);
    const before = tf.memory().numTensors;
    assert.deepStrictEqual(m.generate(inds, f, { beam: 1 }), greedy);
    const beam = m.generate(inds, f, { beam: 3 });
    assert.strictEqual(tf.memory().numTensors, before, 'tensors leaked by beam decoding');
    const score = (texts: string[]) => m.findingsLogProb(SAMPLES.map((s, i) => ({ indication: s.indication, findings: texts[i] })), f).logProb;
    const sg = score(greedy), sb = score(beam);
    // not a theorem for beam search in general, but on this trained model each beam sentence is at least as likely
    sb.forEach((b, i) => assert.ok(b >= sg[i] - 1e-4, `sample ${i}: beam ${b} "${beam[i]}" < greedy ${sg[i]} "${greedy[i]}"`));
    // −Σ logProb / Σ tokens over the batch is the training loss (a step with lr 0 reports the loss before its update)
    const { logProb, tokens } = m.findingsLogProb(SAMPLES, f);
    const loss = m.train(SAMPLES, f, { steps: 1, batch: 4, lr: 0, seed: 0 })[0];
    const mine = -logProb.reduce((a, b) => a + b, 0) / tokens.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(mine - loss) < 1e-4, `${mine} vs ${loss}`);
    assert.throws(() => m.generate(inds, f, { beam: 0 }), /beam must be a positive integer, got 0/);
    m.dispose();
  });

  it('same seed → same losses and same text', () => {
    const run = () => {
      const m = new ReportModel(vocab, CFG);
      const l = m.train(SAMPLES, feats(4), { steps: 5, batch: 2, lr: 1e-2, seed: 9 });
      const g = m.generate(SAMPLES.map((s) => s.indication), feats(4), { maxNew: 5 });
      m.dispose();
      return { l, g };
    };
    assert.deepStrictEqual(run(), run());
  });

  it('bad input: missing findings names the sample; feature rows must match', () => {
    const m = new ReportModel(vocab, CFG);
    assert.throws(() => m.train([{ indication: 'x', findings: ' ' }], null, { steps: 1, batch: 1, lr: 1e-3, seed: 0, ids: ['syn-9'] }), /syn-9 has no findings text/);
    assert.throws(() => m.train(SAMPLES, feats(3), { steps: 1, batch: 1, lr: 1e-3, seed: 0 }), /3 feature rows for 4 samples/);
    m.dispose();
  });

  it('policies: unknown words → <unk> and counted; over-long text truncated to maxText and counted; empty indication allowed', () => {
    const m = new ReportModel(vocab, CFG);
    const e = m.encodeSample({ indication: 'zebra with cough.', findings: 'small quokka effusion.' }, true, 'syn-3');
    assert.strictEqual(m.unknownTokens, 2);
    assert.deepStrictEqual(e.ids.filter((t) => t === 3).length, 2); // <unk> = 3
    // maxText 24, indication 12 tokens at most: findings keep 24 − 12 − 3 = 9 tokens, then <eos>
    const long = { indication: Array(20).fill('cough').join(' '), findings: Array(30).fill('effusion').join(' ') };
    const t = m.encodeSample(long, true, 'syn-4');
    assert.strictEqual(m.truncated, 1);
    assert.strictEqual(t.ids.length, 24);
    assert.strictEqual(t.ids[t.ids.length - 1], 2); // <eos>
    assert.strictEqual(t.ids.filter((x) => x === vocab.index.get('effusion')).length, 9);
    // no indication: the prompt is <bos> <sep>, the loss still starts at the findings
    const n = m.encodeSample({ indication: ' ', findings: 'no pneumothorax.' }, true, 'syn-5');
    assert.deepStrictEqual(n.ids.slice(0, 2), [1, 4]);
    assert.strictEqual(n.lossFrom, 2);
    // decoding with an empty indication works; a sequence past maxText is refused by the forward pass
    assert.strictEqual(m.generate([''], null, { maxNew: 3 }).length, 1);
    assert.throws(() => m.logits(tf.zeros([1, 25], 'int32') as tf.Tensor2D, null), /sequence of 25 tokens exceeds maxText 24/);
    m.dispose();
  });
});
