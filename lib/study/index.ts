/** Notebook orchestration: one study per notebook, the encoders compared, seed summaries and p annotations. */
export * from './encoders';
export * from './study';
export * from './summarise';
export * from './bias';
export * from './explainability';
export * from './pretraining';
export * from './scaling';
export * from './classification';
export * from './long-tail';
export * as generalization from './generalization';
export * from './report-generation';
