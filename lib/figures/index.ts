/** The paper's figure builders: `(tidyTable, opts) => vega-lite spec`. Saving and display live in lib/report and lib/plots. */
export * from './common';
export * from './metric-bars';
export * from './line-chart';
export * from './heatmap';
export * from './roc-plot';
export * from './ellipse';
export * from './domain-scatter';
export * from './group-strip';
export * from './frequency-bars';
export * from './pred-scatter';
export * from './readable';
export * from './pinpointing-bars';
export * from './scaling-figure';
export * from './concat';
export * from './sex-bias';
export * from './slice-bars';
