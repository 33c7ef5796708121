/** `raydino pretrain`: DINOv2-style self-supervised pretraining of a ViT on the synthetic chest X-rays (lib/pretrain). */
import * as fs from 'fs';
import * as path from 'path';
import { Command } from '../command';
import { parseArgs, requireFlag, stringFlag, numberFlag, UsageError } from '../args';
import { initBackend } from '../../engine/backend';
import { loadPretrainConfig, resolvePretrainConfig, shardCount } from '../../pretrain/config';
import { dinov2Yaml } from '../../pretrain/export-dinov2';
import { findingAurocOf, isSelfSupervisedRun, macroAurocOf, probeCheckpoint, probeTargets, ProbePooling, ProbeReadout, readoutsOf } from '../../pretrain/probe';
import { runPretraining } from '../../pretrain/run';

const USAGE = `usage:
  raydino pretrain --config <file.json> [--out <dir>] [--resume] [--max-steps n] [--workers n] [--drop-final-checkpoint]
      pretrain (DINO + iBOT + KoLeo, EMA teacher) on the config's synthetic data; train.workers (or --workers) ≥ 2
      runs data-parallel over that many worker threads (batch split in equal shards, gradients averaged; use 2 on a
      2-core machine); train.shards > workers accumulates gradients over that many shards per step (an effective
      batch of hundreds on 2 cores). Writes <dir>/config.json (resolved),
      log.jsonl (one line per step), checkpoint.safetensors every train.checkpointEvery steps (exact resume with
      --resume), and model.safetensors (teacher backbone) at the end. --out defaults to runs/pretrain/<name>.
      --drop-final-checkpoint removes checkpoint.safetensors once the run is complete (embedded checkpoints).
  raydino pretrain --probe --config <file.json> --out <dir> [--n 3000] [--populations popA,popB,popC] [--pooling tokens]
      logistic regression per finding (C chosen on val; the probe the targets are judged on), ridge (λ chosen on
      val) and k-NN (k=20, cosine) probes of <dir>/model.safetensors vs the same architecture at random init vs raw
      pixels at the encoder's input size, on a fresh labelled synthetic set (60/20/20 train/val/test, a seed
      pretraining never saw; macro AUROC over findings with ≥ 10 test positives; the config's populations unless
      --populations); prints the linear read-outs' AUROC per finding beside the macros; writes <dir>/probe.json (or
      probe-<populations>.json), per-finding AUROCs included; its stages (phantoms, pretrained, random init, raw pixels;
      minutes each on 2 cores) show as progress on stderr. --pooling tokens probes CLS ⊕ every patch token
      (position kept; ridge and k-NN only) instead of CLS ⊕ mean patch — a diagnosis of what the mean dilutes, not
      the probe the targets are judged on — and writes probe[-<populations>]-tokens.json.
  raydino pretrain --export-dinov2 --config <file.json> --out <file.yaml> [--gpus N]
      write the equivalent facebookresearch/dinov2 training config (ssl_default_config.yaml keys) for paper-scale runs
      on N GPUs in all (default: the config's train.shards, or train.workers): batch_size_per_gpu = optim.batchSize / N.`;

export const pretrainCommand: Command = {
  name: 'pretrain',
  summary: 'DINOv2-style self-supervised pretraining (or export the dinov2 config)',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs(argv, {
      flags: {
        config: { type: 'string', required: true }, out: { type: 'string' }, resume: { type: 'boolean' },
        'max-steps': { type: 'number', integer: true, min: 1 }, workers: { type: 'number', integer: true, min: 1 },
        'drop-final-checkpoint': { type: 'boolean' }, probe: { type: 'boolean' }, n: { type: 'number', integer: true, min: 1 },
        populations: { type: 'string' }, pooling: { type: 'string', choices: ['cls-mean', 'tokens'] }, 'export-dinov2': { type: 'boolean' },
        gpus: { type: 'number', integer: true, min: 1 },
      },
    });
    const file = requireFlag(args, 'config');
    const loaded = loadPretrainConfig(file);
    const workers = numberFlag(args, 'workers');
    const config = workers === undefined ? loaded : resolvePretrainConfig({ ...loaded, train: { ...loaded.train, workers } }, `${file} with --workers ${workers}`);
    if (args.flags.gpus !== undefined && !args.flags['export-dinov2']) throw new UsageError('--gpus is for --export-dinov2 (the GPU count the dinov2 batch is split over); the CPU run takes --workers');
    if (args.flags['export-dinov2']) {
      const out = requireFlag(args, 'out');
      fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      fs.writeFileSync(out, dinov2Yaml(config, file, numberFlag(args, 'gpus')));
      console.log(`wrote ${out}`);
      return 0;
    }
    if (args.flags.probe) {
      const dir = requireFlag(args, 'out');
      await initBackend();
      const pops = stringFlag(args, 'populations')?.split(',').filter(Boolean);
      const pooling = stringFlag(args, 'pooling', 'cls-mean') as ProbePooling;
      const r = await probeCheckpoint(config, path.join(dir, 'model.safetensors'), { n: numberFlag(args, 'n'), populations: pops, pooling });
      const stem = ['probe', ...(pops ? [pops.join('+')] : []), ...(pooling === 'tokens' ? ['tokens'] : [])].join('-');
      fs.writeFileSync(path.join(dir, `${stem}.json`), `${JSON.stringify(r, null, 2)}\n`);
      const f = (x: number) => x.toFixed(3);
      const judged = isSelfSupervisedRun(dir);
      const runs = [r.pretrained, r.randomInit, r.rawPixels];
      const readouts = readoutsOf(runs);
      const label = (probe: ProbeReadout) => (probe === 'linear' ? 'linear (ridge)' : probe);
      for (const probe of readouts) {
        const [ssl, rand, raw] = runs.map((p) => macroAurocOf(p, probe));
        const t = probeTargets(ssl, rand, raw);
        const verdict = !judged ? 'not a self-supervised run (no config.json of raydino pretrain): the targets are not judged'
          : pooling === 'tokens' ? 'position-keeping diagnosis: the targets are judged on CLS ⊕ mean patch'
          : t === 'met' ? 'targets met' : `targets not met (${t})`;
        console.log(`probe ${path.basename(path.resolve(dir))}${pooling === 'tokens' ? ' (CLS ⊕ every patch token)' : ''} ${label(probe)}: macro AUROC ${f(ssl)} | random init ${f(rand)} | raw pixels @${r.inputSize} px ${f(raw)} — ${verdict}`);
      }
      for (const [name, p] of [['SSL', r.pretrained], ['random init', r.randomInit], ['raw pixels', r.rawPixels]] as const) {
        if (p.logisticUnconvergedCs?.length) console.log(`  logistic, ${name}: C ${p.logisticUnconvergedCs.join(', ')} stopped short of the solver's tolerance on the train rows and were left out of the choice of C`);
        if (p.logisticConverged === false) console.log(`  warning: logistic, ${name}: the final fit (C ${p.logisticC}) stopped short of the solver's tolerance — its AUROC is of an unconverged fit`);
      }
      // where a macro gap comes from (point estimates on one test split)
      const linear = readouts.filter((p) => p !== 'k-NN');
      console.log(`  per finding, ${linear.map(label).join(' / ')}: SSL | random init | raw pixels`);
      for (const c of r.pretrained.classes) console.log(`    ${c.padEnd(20)} ${linear.map((probe) => runs.map((p) => f(findingAurocOf(p, c, probe))).join(' | ')).join('   /   ')}`);
      const C = r.pretrained.logisticC === undefined ? '' : `; logistic C ${r.pretrained.logisticC} (random ${r.randomInit.logisticC}, pixels ${r.rawPixels.logisticC})`;
      console.log(`  ${r.data.labels.length} findings, ${r.pretrained.nTrain} train / ${r.pretrained.nVal} val / ${r.pretrained.nTest} test phantoms (seed ${r.data.seed}); ridge λ ${r.pretrained.linearLambda} (random ${r.randomInit.linearLambda}, pixels ${r.rawPixels.linearLambda})${C}`);
      return 0;
    }
    const outDir = stringFlag(args, 'out', path.join('runs', 'pretrain', config.name))!;
    const info = await initBackend();
    const { shards } = shardCount(config);
    const par = shards > 1 ? `, ${config.train.workers} data-parallel workers${shards !== config.train.workers ? ` over ${shards} shards per step` : ''}` : '';
    console.error(`raydino pretrain: ${config.name} (${config.model.arch}, ${config.optim.steps} steps × ${config.optim.batchSize} images${par}) on tfjs-${info.name} → ${outDir}`);
    const r = await runPretraining(config, {
      outDir, resume: args.flags.resume === true, maxSteps: numberFlag(args, 'max-steps'),
      keepFinalCheckpoint: args.flags['drop-final-checkpoint'] !== true,
    });
    console.log(r.modelPath ? `done: ${r.steps} steps, teacher backbone in ${r.modelPath}` : `stopped at step ${r.steps} (resume with --resume)`);
    return 0;
  },
};
