/** Engine: backend selection, worker pool, progress, provenance, notebook display, seeds. */
export * from './backend';
export * from './worker-pool';
export * from './progress';
export * from './provenance';
export * from './jupyter-display';
export * from './rng';
export * from './gradients';
export * from './adamw';
export * from './masked-bce';
export * from './rows';
