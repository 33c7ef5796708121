/** Notebook-facing helpers still grouped by notebook (being dissolved into lib/eval, lib/figures and lib/analysis). */
export * from './summarise';
export * from './bias';
export * from './pretraining';
export * from './long-tail';
export * from './report-generation';
