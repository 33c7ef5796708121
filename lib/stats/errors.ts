/**
 * A metric that is mathematically undefined on its input (AUROC with one class, AP without positives,
 * Pearson r of a constant vector). Distinct from bad input (which throws a plain Error): bootstrapCI skips
 * and counts resamples that throw this, and re-throws anything else.
 */
export class UndefinedMetricError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndefinedMetricError';
  }
}
