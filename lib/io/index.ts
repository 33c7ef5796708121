export * from './dtype';
export * from './float16';
export * from './hash';
export * from './npy';
export * from './safetensors';
