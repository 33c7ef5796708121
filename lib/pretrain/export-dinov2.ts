/**
 * Writes the dinov2 trainer (facebookresearch/dinov2, `dinov2/train/train.py --config-file`) config equivalent to a
 * raydino pretraining config, for paper-scale runs on GPUs: same keys as dinov2's `configs/ssl_default_config.yaml`.
 * Step counts become epochs of `train.OFFICIAL_EPOCH_LENGTH` = our epoch length (⌊count / batch⌋ steps).
 */
import { modelConfig } from '../models/registry';
import { epochLength, PretrainConfig, shardCount } from './config';

/** dinov2's backbone names (models/vision_transformer.py). Ours: vit_small/base/large map 1:1. */
const DINOV2_ARCHS = new Set(['vit_small', 'vit_base', 'vit_large', 'vit_giant2']);

type Yaml = { [k: string]: string | number | boolean | number[] | Yaml };

function toYaml(obj: Yaml, indent = ''): string {
  return Object.entries(obj).map(([k, v]) => {
    if (typeof v === 'object' && !Array.isArray(v)) return `${indent}${k}:\n${toYaml(v, indent + '  ')}`;
    const val = Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'string' ? (v === '' ? "''" : v) : String(v);
    return `${indent}${k}: ${val}\n`;
  }).join('');
}

/**
 * GPUs the exported run is for: `gpus`, else the config's shards (train.shards, or train.workers) — the run whose
 * per-shard head BatchNorm and KoLeo match ours. Our optim.batchSize is the global batch, dinov2's
 * batch_size_per_gpu is per GPU: the global batch must split evenly.
 */
export function dinov2Gpus(c: PretrainConfig, gpus?: number): { gpus: number; perGpu: number } {
  const n = gpus ?? shardCount(c).shards;
  if (!Number.isInteger(n) || n < 1) throw new Error(`--export-dinov2: invalid GPU count ${n}`);
  if (c.optim.batchSize % n !== 0) {
    throw new Error(`--export-dinov2: optim.batchSize ${c.optim.batchSize} does not split over ${n} GPUs (dinov2's batch_size_per_gpu must be a whole number)`);
  }
  return { gpus: n, perGpu: c.optim.batchSize / n };
}

/**
 * The dinov2 config as an object (keys of ssl_default_config.yaml) for a run on `gpus` GPUs (see dinov2Gpus). Throws
 * for an arch dinov2 does not define.
 */
export function dinov2Config(c: PretrainConfig, datasetPath = 'ImageNet:split=TRAIN:root=<DATA>:extra=<EXTRA>', gpus?: number): Yaml {
  if (!DINOV2_ARCHS.has(c.model.arch)) {
    throw new Error(`--export-dinov2: model.arch ${c.model.arch} has no dinov2 counterpart (use one of ${[...DINOV2_ARCHS].join(', ')})`);
  }
  const { perGpu } = dinov2Gpus(c, gpus);
  const v = modelConfig(c.model.arch, c.model.overrides);
  const epoch = epochLength(c);
  const epochs = (steps: number) => Math.max(0, Math.round(steps / epoch));
  const head = { head_n_prototypes: c.head.prototypes, head_bottleneck_dim: c.head.bottleneckDim, head_nlayers: 3, head_hidden_dim: c.head.hiddenDim };
  return {
    dino: { loss_weight: c.dino.lossWeight, ...head, koleo_loss_weight: c.dino.koleoLossWeight },
    ibot: {
      loss_weight: c.ibot.lossWeight, mask_sample_probability: c.ibot.maskSampleProbability, mask_ratio_min_max: c.ibot.maskRatio,
      separate_head: c.head.ibotSeparateHead, ...head,
    },
    train: {
      batch_size_per_gpu: perGpu, dataset_path: datasetPath, output_dir: '.', saveckp_freq: 20, seed: c.seed,
      num_workers: 10, OFFICIAL_EPOCH_LENGTH: epoch, cache_dataset: true, centering: c.dino.centering,
    },
    student: {
      arch: c.model.arch, patch_size: v.patchSize, drop_path_rate: c.model.dropPathRate, layerscale: v.layerScaleInit ?? 0,
      drop_path_uniform: false, pretrained_weights: '', ffn_layer: 'mlp', block_chunks: 0, qkv_bias: true, proj_bias: true,
      ffn_bias: true, num_register_tokens: v.numRegisters, interpolate_antialias: false, interpolate_offset: v.interpolateOffset,
    },
    teacher: {
      momentum_teacher: c.teacher.momentumTeacher, final_momentum_teacher: c.teacher.finalMomentumTeacher,
      warmup_teacher_temp: c.teacher.warmupTeacherTemp, teacher_temp: c.teacher.teacherTemp,
      warmup_teacher_temp_epochs: epochs(c.teacher.warmupTeacherTempSteps ?? Math.round(0.3 * c.optim.steps)),
    },
    optim: {
      epochs: Math.max(1, Math.ceil(c.optim.steps / epoch)), weight_decay: c.optim.weightDecay, weight_decay_end: c.optim.weightDecayEnd,
      base_lr: c.optim.baseLr, lr: 0, warmup_epochs: epochs(c.optim.warmupSteps ?? epoch), min_lr: c.optim.minLr,
      clip_grad: c.optim.clipGrad, freeze_last_layer_epochs: epochs(c.optim.freezeLastLayerSteps ?? epoch),
      scaling_rule: c.optim.scalingRule, patch_embed_lr_mult: 1, layerwise_decay: 1,
      adamw_beta1: c.optim.beta1, adamw_beta2: c.optim.beta2,
    },
    crops: {
      global_crops_scale: c.crops.globalScale, local_crops_number: c.crops.nLocal, local_crops_scale: c.crops.localScale,
      global_crops_size: c.crops.globalSize, local_crops_size: c.crops.localSize,
    },
    evaluation: { eval_period_iterations: 12500 },
  };
}

/** YAML text with a header naming the source config and the GPU count the batch was split for. */
export function dinov2Yaml(c: PretrainConfig, source: string, gpus?: number): string {
  const g = dinov2Gpus(c, gpus);
  return `# dinov2 SSL config generated by \`raydino pretrain --export-dinov2\` from ${source}\n`
    + `# For ${g.gpus} GPU${g.gpus === 1 ? '' : 's'} in all (nodes × GPUs per node): batch_size_per_gpu ${g.perGpu} × ${g.gpus} = optim.batchSize ${c.optim.batchSize}. On another count the global batch changes: export again with --gpus.\n`
    + '# Differences dinov2 cannot express: grey photometric augmentations (no colour jitter / solarize), see docs/pretrain.md.\n'
    + toYaml(dinov2Config(c, undefined, g.gpus));
}
