/** Label-supervised baseline encoders (the paper's supervised competitors, ARK6 / UniChest, on our data). */
export * from './config';
export * from './linear-head';
export * from './labelled-images';
export * from './light-augment';
export * from './supervised-trainer';
export * from './supervised-checkpoint';
export * from './supervised-pretrain';
