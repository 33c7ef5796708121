/** Notebook-facing helpers still grouped by notebook (being dissolved into lib/eval, lib/figures and lib/analysis). */
export * from './explainability';
export * from './scaling';
export * from './classification';
export * as generalization from './generalization';
