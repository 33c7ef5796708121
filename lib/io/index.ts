export * from './dtype';
export * from './float16';
export * from './npy';
export * from './safetensors';
