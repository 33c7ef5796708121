/** Report text: tokeniser, pycocoevalcap-equivalent BLEU / ROUGE-L, rule-based CheXpert-style labeller. */
export * from './tokenize';
export * from './metrics';
export * from './labeller';
export * from './corpus';
export * from './vocab';
export * from './beam';
export * from './report-model';
export * from './report-training';
export * from './clinical-notes';
