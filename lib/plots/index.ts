/** Plots: notebook display (vega-lite + SVG bundles, tables, images) and X-ray overlay rendering. */
export * from './show';
export * from './xray';
export * from './panel-grid';
export * from './colormap';
export * from './engine-bench-figure';
export * from './segmentation-panels';
export * from './attention-panels';
export * from './pca-panels';
