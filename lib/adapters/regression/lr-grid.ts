/** Learning rates swept for the Cobb-angle head (small grid, best on validation Pearson): 1e-4 … 1e-2, half-decade steps. */
export const REG_LR_GRID: readonly number[] = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2];
/** Quick profile. */
export const REG_LR_GRID_QUICK: readonly number[] = [1e-3, 1e-2];
