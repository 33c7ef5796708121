/**
 * Learning-rate grids of the dense heads (lib/adapters/segmentation, lib/adapters/regression), here so the profiles
 * (./profiles `segmentation` section) and the protocols' defaults share one list.
 *
 * Segmentation: the paper sweeps 9 learning rates and keeps the best on validation mDice; we use 9 log-spaced values
 * over two decades, 1e-4 … 1e-2 (quarter-decade steps: 10^(−4 + i/4)), which brackets mmseg's AdamW default for
 * UperNet on ViT (6e-5 for full fine-tuning; frozen-feature heads tolerate larger rates). The quick profile keeps 3.
 */
export const SEG_LR_GRID: readonly number[] = Array.from({ length: 9 }, (_, i) => +(10 ** (-4 + i / 4)).toPrecision(3));

/** Quick profile (CI, notebooks on 2 cores): 1e-3, 3.16e-3, 1e-2. */
export const SEG_LR_GRID_QUICK: readonly number[] = [SEG_LR_GRID[4], SEG_LR_GRID[6], SEG_LR_GRID[8]];

/** Learning rates swept for the Cobb-angle head (small grid, best on validation Pearson): 1e-4 … 1e-2, half-decade steps. */
export const REG_LR_GRID: readonly number[] = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2];
/** Quick profile. */
export const REG_LR_GRID_QUICK: readonly number[] = [1e-3, 1e-2];
