/** lib/models: the DINOv2-style ViT in tfjs, its registry, weight import/export and ONNX export. Re-exports only. */
export * from './config';
export * from './vit';
export * from './registry';
export * from './weights';
export { normaliseDinov2Keys, inferDinov2Config } from './import-dinov2';
export { hfToDinov2, looksLikeHf } from './import-hf';
export * from './onnx-export';
export { posEmbedInterpolationMatrix, interpolatePosEmbed, bicubicMatrix1d } from './pos-embed-interpolate';
export { paramSpecs } from './params';
export { linear, matMulConstLeft } from './ops/linear';
export { layerNorm } from './ops/layer-norm';
export { gelu } from './ops/gelu';
export { bmm } from './ops/bmm';
export { registerTrainingGradients as registerGradients } from '../engine/gradients';
