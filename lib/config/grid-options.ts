/**
 * Options of the adapter grid (lib/adapters/grid/config `gridConfigs`): which learning rates, weight decays, depths and
 * poolings to train. The schema lives here, below adapters, so the profiles' `eval.grid` section validates it without
 * importing the grid; every list left out means the paper's values.
 */
import { z } from 'zod';

export type Pooling = 'avg' | 'attentive';

export const gridOptionsSchema = z.object({
  lrs: z.array(z.number().positive()).min(1).optional(),
  wds: z.array(z.number().nonnegative()).min(1).optional(),
  layers: z.array(z.union([z.literal(1), z.literal(2)])).min(1).optional(),
  poolings: z.array(z.enum(['avg', 'attentive'])).min(1).optional(),
}).strict();
export type GridOptions = z.infer<typeof gridOptionsSchema>;
