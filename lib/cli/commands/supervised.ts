/** `raydino supervised`: label-supervised pretraining of a ViT on one population (the supervised-competitor baseline). */
import * as path from 'path';
import { Command } from '../command';
import { numberFlag, parseArgs, requireFlag, stringFlag } from '../args';

const USAGE = `usage:
  raydino supervised --config <file.json> [--out <dir>] [--resume] [--max-steps n]
      Trains the config's ViT + a linear head with masked multi-label BCE on ONE population's train split
      (lib/baselines; defaults in lib/baselines/config.ts, the JSON overrides them), logs validation macro AUROC,
      and writes <dir>/model.safetensors (the backbone, loadable like any SSL checkpoint), head.safetensors,
      config.json, log.jsonl, metrics.json and the exact-resume checkpoint.safetensors.
  --out        output folder (default checkpoints/<config name>)
  --resume     continue from <out>/checkpoint.safetensors (bit-identical to an uninterrupted run)
  --max-steps  stop after n steps of this invocation (the schedule still spans optim.steps)
  RAYDINO_BACKEND=wasm|cpu forces the tfjs backend (default: the fastest available).`;

export const supervisedCommand: Command = {
  name: 'supervised',
  summary: 'label-supervised pretraining of a ViT on one population (baseline encoder)',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs(argv, {
      flags: {
        config: { type: 'string', required: true }, out: { type: 'string' }, resume: { type: 'boolean' },
        'max-steps': { type: 'number', integer: true, min: 1 },
      },
    });
    const { loadSupervisedConfig } = await import('../../baselines/config');
    const { runSupervisedPretraining } = await import('../../baselines/supervised-pretrain');
    const { initBackend, describeBackend } = await import('../../engine/backend');
    const config = loadSupervisedConfig(requireFlag(args, 'config'));
    const outDir = stringFlag(args, 'out') ?? path.join('checkpoints', config.name);
    const info = await initBackend();
    console.error(`raydino supervised: ${config.name} (${config.model.arch}, ${config.data.population}) → ${outDir}; ${describeBackend(info)}`);
    const r = await runSupervisedPretraining(config, { outDir, resume: args.flags.resume === true, maxSteps: numberFlag(args, 'max-steps') });
    const auroc = r.final ? ` val macro AUROC ${r.final.macroAuroc.toFixed(4)}` : '';
    const which = r.exportedStep !== null && r.exportedStep !== r.steps ? ` (the weights of step ${r.exportedStep}, the best validation)` : '';
    const early = r.stoppedEarly ? ` — stopped early: ${config.train.patience} evaluations without improvement` : '';
    console.log(r.modelPath ? `wrote ${r.modelPath}${which} after ${r.steps} steps${early};${auroc}` : `stopped at step ${r.steps}/${config.optim.steps}; resume with --resume;${auroc}`);
    return 0;
  },
};
