/**
 * Can the report model's adapter learn to use an image at all? Trains the notebook-08 quick recipe (text-only LM, then
 * captioning) on the synthetic report corpus with two kinds of stand-in "patch features": ORACLE features that carry the
 * study's 14 labels (plus noise), and NOISE features that carry nothing. Prints the test captioning loss per token with
 * each study's own features and with another study's (`imageUse`), and greedy reports' Micro-F1-14. With oracle
 * features a working adapter must show a clear gain; with noise none. Separates "the adapter / LM is broken" from
 * "the encoder's features do not carry what the reports say" when notebook 08's encoders write alike reports.
 *
 *   npx ts-node --transpile-only scripts/report-adapter-check.ts [captionSteps=400] [lmLrScale=1]
 */
import { initBackend } from '../lib/engine/backend';
import { createRng } from '../lib/engine/rng';
import { buildReportCorpus, binaryLabels, chexpertF1 } from '../lib/text';
import { ReportModel, PatchFeatures } from '../lib/text/report-model';
import { WordVocab } from '../lib/text/vocab';
import { imageUse } from '../lib/text/report-training';

async function main(): Promise<void> {
  await initBackend();
  const captionSteps = Number(process.argv[2] ?? 400);
  const lmLrScale = Number(process.argv[3] ?? 1);
  const corpus = buildReportCorpus({ variant: 'cxr', n: 700, size: 64, seed: 1 } as never, 13);
  const train = corpus.filter((r) => r.split === 'train');
  const test = corpus.filter((r) => r.split === 'test').slice(0, 100);
  const T = 16, D = 32;
  const feats = (recs: typeof corpus, oracle: boolean, seed: number): PatchFeatures => {
    const rng = createRng(seed);
    const a = new Float32Array(recs.length * T * D);
    recs.forEach((r, i) => { for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) a[(i * T + t) * D + d] = 0.5 * rng.normal() + (oracle && d < 14 ? 2 * r.labels[d] : 0); });
    return { patches: a, n: recs.length, tokens: T, dim: D };
  };
  const vocab = WordVocab.build(train.flatMap((r) => [r.indication, r.findings]));
  const lm = new ReportModel(vocab, { seed: 0 });
  let t0 = Date.now();
  const tl = lm.train(train, null, { steps: 250, batch: 16, lr: 3e-3, seed: 0 });
  console.log(`${train.length} train / ${test.length} test reports; text LM loss ${tl[0].toFixed(2)} → ${tl[tl.length - 1].toFixed(2)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  const textOnly = lm.findingsLogProb(test, null);
  console.log(`text-only LM, findings loss per token on test: ${(-textOnly.logProb.reduce((a, b) => a + b, 0) / textOnly.tokens.reduce((a, b) => a + b, 0)).toFixed(3)}`);
  for (const oracle of [true, false]) {
    t0 = Date.now();
    const m = lm.cloneLanguageModel();
    const cl = m.train(train, feats(train, oracle, 1), { steps: captionSteps, batch: 16, lr: 3e-3, seed: 0, lmLrScale });
    const tf_ = feats(test, oracle, 2);
    const u = imageUse(m, test, tf_);
    const gen = m.generate(test.map((r) => r.indication), tf_);
    const f1 = chexpertF1(gen.map((g) => binaryLabels(g)), test.map((r) => r.labels));
    console.log(`${oracle ? 'ORACLE' : 'NOISE '} features: caption loss ${cl[0].toFixed(2)} → ${cl[cl.length - 1].toFixed(2)}; test loss/token own image ${u.own.toFixed(3)}, rotated ${u.rotated.toFixed(3)}, gain ${u.gain.toFixed(3)}; Micro-F1-14 ${f1.micro.toFixed(3)}; distinct reports ${new Set(gen).size}/${gen.length} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    m.dispose();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
