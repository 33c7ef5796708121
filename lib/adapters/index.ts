export * from './grid';
export * as head from './head';
export * as segmentation from './segmentation';
export * as regression from './regression';
