/** The adapter grid: 156 small heads trained together on frozen features (lib/adapters/grid/head-grid). */
export * from './config';
export * from './adam-step';
export * from './losses';
export * from './linalg';
export * from './ort-gemm';
export * from './wide-family';
export * from './avg-family';
export * from './attentive-family';
export * from './selection-metric';
export * from './local-grid';
export * from './head-grid';
