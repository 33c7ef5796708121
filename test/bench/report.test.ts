import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { reportBenchCorpus, runReportBench, ReportBenchSizes } from '../../lib/bench/report';
import { initBackend } from '../../lib/engine/backend';
import { ReportModel } from '../../lib/text/report-model';
import { WordVocab } from '../../lib/text/vocab';

describe('report bench (ours side, tiny sizes)', function () {
  this.timeout(120000);
  const tiny: ReportBenchSizes = {
    model: { dModel: 16, heads: 2, lmLayers: 1, adapterLayers: 1, prefixTokens: 2 }, tokens: 4, dim: 8,
    batch: 3, steps: 2, decodeRows: 4, beamRows: 2, beamWidth: 2, maxNew: 3, lr: 3e-3, lmLrScale: 0.3, weightDecay: 0.01,
  };
  let r: Record<string, number | string>;
  let leaked: number;
  before(async () => {
    await initBackend();
    const n0 = tf.memory().numTensors;
    r = await runReportBench(tiny, { torch: false });
    leaked = tf.memory().numTensors - n0;
  });

  it('reports every ours-side key and no torch key when torch is off', () => {
    assert.deepEqual(Object.keys(r).sort(), [
      'report_backend', 'report_beam_ours_s', 'report_beam_ours_tokens_per_s', 'report_beam_positions', 'report_beam_rows',
      'report_beam_steps', 'report_beam_width', 'report_decode_ours_s', 'report_decode_ours_tokens_per_s', 'report_decode_positions',
      'report_decode_prompt_len', 'report_decode_rows', 'report_decode_steps', 'report_params', 'report_patch_dim', 'report_patch_tokens',
      'report_train_batch', 'report_train_ours_s_per_step', 'report_train_ours_tokens_per_s', 'report_train_seq_len', 'report_train_steps',
      'report_train_target_tokens_per_step', 'report_vocab',
    ]);
    assert.equal(leaked, 0);
  });

  it('counts the findings + <eos> tokens of the batch as training targets, as the captioning loss does', () => {
    const train = reportBenchCorpus().filter((x) => x.split === 'train');
    const vocab = WordVocab.build(train.flatMap((x) => [x.indication, x.findings]));
    assert.equal(r.report_vocab, vocab.size);
    const m = new ReportModel(vocab, tiny.model);
    try {
      const batch = train.slice(0, tiny.batch);
      const enc = batch.map((x) => m.encodeSample(x, true, x.id));
      const fromEncode = enc.reduce((a, e) => a + e.ids.length - e.lossFrom, 0);
      // the loss positions as findingsLogProb counts them (its own loop over the same weights as batchNll)
      const scored = m.findingsLogProb(batch, null).tokens.reduce((a, b) => a + b, 0);
      assert.equal(r.report_train_target_tokens_per_step, fromEncode);
      assert.equal(r.report_train_target_tokens_per_step, scored);
      assert.equal(r.report_train_seq_len, Math.max(...enc.map((e) => e.ids.length)) - 1);
      // each report: findings words + <eos>; the tokenizer keeps sentence periods as words
      const words = batch.map((x) => vocab.encode(x.findings).ids.length + 1).reduce((a, b) => a + b, 0);
      assert.equal(fromEncode, words);
    } finally {
      m.dispose();
    }
  });

  it('decodes rows × steps positions, one prompt length, at most maxNew steps', () => {
    assert.equal(r.report_decode_rows, tiny.decodeRows);
    // seeded tiny model: no row writes <eos> within 3 tokens, so greedy runs all maxNew steps
    assert.equal(r.report_decode_steps, tiny.maxNew);
    assert.equal(r.report_decode_positions, tiny.decodeRows * tiny.maxNew!);
    assert.ok((r.report_decode_prompt_len as number) >= 2);
  });

  it('counts live beams per beam-search step', () => {
    // width 2, 3 steps per study, no <eos> within 3 tokens: 1 beam at the first step, then 2 → 1 + 2 + 2 per study
    assert.equal(r.report_beam_rows, tiny.beamRows);
    assert.equal(r.report_beam_steps, tiny.beamRows * tiny.maxNew!);
    assert.equal(r.report_beam_positions, tiny.beamRows * (1 + 2 + 2));
  });
});

describe('report bench without a PyTorch', function () {
  this.timeout(120000);
  it("says 'unavailable: …' naming the missing interpreter", async () => {
    const saved = process.env.RAYDINO_PYTHON;
    process.env.RAYDINO_PYTHON = '/nonexistent/python3';
    try {
      const r = await runReportBench({
        model: { dModel: 8, heads: 2, lmLayers: 1, adapterLayers: 1, prefixTokens: 1 }, tokens: 2, dim: 4,
        batch: 2, steps: 1, decodeRows: 2, beamRows: 1, beamWidth: 2, maxNew: 1, lr: 3e-3, lmLrScale: 0.3, weightDecay: 0.01,
      }, { torch: true });
      assert.match(String(r.report_torch), /^unavailable: .*\/nonexistent\/python3/);
      assert.equal(r.report_train_torch_tokens_per_s, undefined);
    } finally {
      if (saved === undefined) delete process.env.RAYDINO_PYTHON; else process.env.RAYDINO_PYTHON = saved;
    }
  });
});
