/** raydino-lab: the library notebooks import as a package (`import * as rd from 'raydino-lab'`). */
export * as io from './io';
export { createRng } from './engine/rng';
export type { Rng } from './engine/rng';
export * as stats from './stats';
export * as figures from './figures';
export * as data from './data';
export * as engine from './engine';
export * as config from './config';
export * as plots from './plots';
export * as report from './report';
export * as bench from './bench';
export * as models from './models';
export * as study from './study';
export * as analysis from './analysis';
export * as segmentation from './adapters/segmentation';
export * as regression from './adapters/regression';
