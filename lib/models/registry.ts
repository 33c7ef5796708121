/**
 * Named ViT configurations (timm-style registry: `create_model(name)`).
 * Paper sizes (patch 16, 224 px; Dosovitskiy et al. 2021, DINOv2 Table 15): vit_tiny 192/12/3, vit_small 384/12/6,
 * vit_base 768/12/12, vit_large 1024/24/16. CPU-sized variants for the embedded default (patch 8, 64 px, 1 grey channel):
 * vit_nano 96/4/3, vit_micro 128/6/4.
 *
 * @example
 * const vit = createViT('vit_micro', { dropPathRate: 0.1 }, 42);
 * listModels(); // ['vit_nano', 'vit_micro', 'vit_tiny', ...]
 */
import { parseViTConfig, ViTConfig, ViTConfigInput } from './config';
import { paramSpecs } from './params';
import { ViT } from './vit';

type Base = Omit<ViTConfigInput, 'name'>;

const GREY = { inChans: 1 as const, mean: [0.5], std: [0.25] };

const REGISTRY: Record<string, Base> = {
  vit_nano: { imgSize: 64, patchSize: 8, dim: 96, depth: 4, heads: 3, mlpHidden: 384, layerScaleInit: 0.1, ...GREY },
  vit_micro: { imgSize: 64, patchSize: 8, dim: 128, depth: 6, heads: 4, mlpHidden: 512, layerScaleInit: 0.1, ...GREY },
  vit_tiny: { imgSize: 224, patchSize: 16, dim: 192, depth: 12, heads: 3, mlpHidden: 768, inChans: 3 },
  vit_small: { imgSize: 224, patchSize: 16, dim: 384, depth: 12, heads: 6, mlpHidden: 1536, inChans: 3 },
  vit_base: { imgSize: 224, patchSize: 16, dim: 768, depth: 12, heads: 12, mlpHidden: 3072, inChans: 3 },
  vit_large: { imgSize: 224, patchSize: 16, dim: 1024, depth: 24, heads: 16, mlpHidden: 4096, inChans: 3 },
};

export function listModels(): string[] {
  return Object.keys(REGISTRY);
}

/** The resolved config of a registered model with overrides applied (validated). */
export function modelConfig(name: string, overrides: Partial<ViTConfigInput> = {}): ViTConfig {
  const base = REGISTRY[name];
  if (!base) throw new Error(`unknown model ${name} (registered: ${listModels().join(', ')})`);
  return parseViTConfig({ name, ...base, ...overrides }, `config of ${name}`);
}

/** Parameter count of a registered model (the backbone), from its parameter shapes: no tensor is built. */
export function modelParams(name: string, overrides: Partial<ViTConfigInput> = {}): number {
  return paramSpecs(modelConfig(name, overrides)).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}

/** A randomly initialised (seeded) ViT from the registry. */
export function createViT(name: string, overrides: Partial<ViTConfigInput> = {}, seed = 0): ViT {
  return new ViT(modelConfig(name, overrides), seed);
}
