/** Profiles and config resolution; the schemas and defaults lower layers share (grid options, lr grids, precisions). */
export * from './profiles';
export * from './resolve';
export * from './grid-options';
export * from './lr-grids';
export * from './encoder-precision';
export * from './model-schema';
