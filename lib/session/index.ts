/** A notebook's session: open it, load datasets, discover and open encoders, compare them under one protocol, save. */
export * from './encoders';
export * from './session';
export * from './encoder-params';
