/** Report: saving figures (SVG + PNG + provenance) and tables (CSV + Markdown + LaTeX). */
export * from './save-figure';
export * from './save-table';
export * from './table-export';
export * from './vega-render';
export * from './paths';
export * from './fonts';
