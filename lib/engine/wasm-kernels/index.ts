/**
 * Fused tfjs kernels for the `wasm` backend, running WebAssembly SIMD code (kernels.as.ts, compiled into
 * kernels.wasm.ts) on tfjs-wasm's own heap: the module imports tfjs-wasm's `WebAssembly.Memory`, so a kernel reads its
 * inputs and writes its outputs where tfjs keeps them, with no copies. Registered with `tf.registerKernel` under
 * `Raydino*` names and called through `tf.engine().runKernel`, so tfjs's tidy / memory accounting / tape work as for
 * its own kernels; lib/models/ops wraps them in `tf.customGrad` and falls back to plain tfjs ops on any other backend
 * (cpu, tensorflow) or when disabled.
 *
 * Why (docs/pretrain.md, "Throughput"): tfjs-wasm runs batched or transposed matmuls in a scalar loop (1.3–3 GFLOP/s),
 * and each of its ops costs ≈ 15–20 µs of engine overhead; attention, LayerNorm and GELU were ~100 small ops per block.
 *
 * Disable with RAYDINO_FUSED_KERNELS=0 (or `setFusedKernels(false)`), e.g. to compare both paths.
 *
 * @example
 * if (fusedKernelsActive()) y = tf.engine().runKernel('RaydinoGelu', { x }) as tf.Tensor;
 */
import * as tf from '@tensorflow/tfjs-core';
import { KERNELS_WASM_BASE64 } from './kernels.wasm';

/** The slice of the WebAssembly JS API used here (the project compiles without DOM typings). */
interface WasmMemory { buffer: ArrayBuffer }
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The exports of kernels.as.ts (pointers are byte offsets into tfjs-wasm's heap). */
interface KernelExports {
  gemm(m: number, n: number, k: number, a: number, ars: number, acs: number, b: number, ldb: number, c: number, ldc: number, bias: number, accumulate: number, pack: number): void;
  transpose(src: number, rows: number, cols: number, lds: number, dst: number, ldd: number): void;
  colsum(src: number, rows: number, cols: number, lds: number, dst: number, accumulate: number): void;
  gelu(x: number, y: number, n: number): void;
  gelu_grad(dy: number, x: number, dx: number, n: number): void;
  gelu_and_deriv(x: number, y: number, d: number, n: number): void;
  linear_grad(M: number, nin: number, nout: number, dy: number, x: number, w: number, deriv: number, dx: number, dw: number, db: number, wt: number, dpre: number, pack: number): void;
  attention(qkv: number, out: number, probs: number, B: number, N: number, H: number, hd: number, scale: number, scratch: number): void;
  attention_grad(dout: number, qkv: number, probs: number, dqkv: number, B: number, N: number, H: number, hd: number, scale: number, scratch: number): void;
  layer_norm(x: number, gamma: number, beta: number, y: number, mean: number, rstd: number, M: number, D: number, eps: number): void;
  layer_norm_grad(dy: number, x: number, mean: number, rstd: number, gamma: number, dx: number, dgamma: number, dbeta: number, M: number, D: number): void;
  scaled_add(x: number, a: number, gamma: number, y: number, M: number, D: number): void;
  scaled_add_grad(dy: number, a: number, gamma: number, da: number, dgamma: number, M: number, D: number): void;
  adamw(p: number, m: number, v: number, g: number, po: number, mo: number, vo: number, n: number,
    b1: number, c1: number, b2: number, c2: number, sbc2: number, eps: number, decay: number, step: number): void;
  sum_squares(x: number, n: number): number;
}

/** The parts of tfjs-backend-wasm's BackendWasm used here (stable across tfjs 4.x). */
interface WasmBackend {
  wasm: { asm: { memory: WasmMemory }; _malloc(bytes: number): number; _free(ptr: number): void };
  dataIdMap: { get(dataId: unknown): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

/** One instance of the kernels module bound to one tfjs-wasm backend's memory, with a growable scratch buffer. */
class Bound {
  private scratchPtr = 0;
  private scratchBytes = 0;
  constructor(readonly backend: WasmBackend, readonly k: KernelExports) {}

  ptr(t: tf.TensorInfo): number {
    const d = this.backend.dataIdMap.get(t.dataId);
    if (!d) throw new Error('wasm kernels: a tensor is not on the wasm backend');
    return d.memoryOffset;
  }

  out(shape: number[]): tf.TensorInfo {
    return this.backend.makeOutput(shape, 'float32');
  }

  /** A scratch region of at least `floats` float32s (kept between calls; not a tfjs tensor). */
  scratch(floats: number): number {
    const bytes = Math.max(16, floats * 4);
    if (bytes > this.scratchBytes) {
      if (this.scratchPtr) this.backend.wasm._free(this.scratchPtr);
      this.scratchBytes = Math.max(bytes, 2 * this.scratchBytes);
      this.scratchPtr = this.backend.wasm._malloc(this.scratchBytes) >>> 0;
      if (!this.scratchPtr) throw new Error(`wasm kernels: could not allocate ${this.scratchBytes} bytes of scratch`);
    }
    return this.scratchPtr;
  }
}

let wasmModule: object | undefined;
const bound = new WeakMap<object, Bound>();
let loadError: string | undefined;

function bind(backend: WasmBackend): Bound {
  let b = bound.get(backend);
  if (!b) {
    wasmModule ??= new WA.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
    const inst = new WA.Instance(wasmModule, { env: { memory: backend.wasm.asm.memory } });
    b = new Bound(backend, inst.exports as unknown as KernelExports);
    bound.set(backend, b);
    shareIdentity(); // tfjs-wasm's kernels are registered by now (its backend exists)
  }
  return b;
}

let enabled = !['0', 'false', 'off'].includes((process.env.RAYDINO_FUSED_KERNELS ?? '').trim().toLowerCase());

/** Turns the fused kernels on or off for this thread (default: on unless RAYDINO_FUSED_KERNELS=0). */
export function setFusedKernels(on: boolean): void {
  enabled = on;
}

/**
 * Whether lib/models/ops should use the fused kernels now: the active backend is tfjs-wasm, the module instantiated
 * against its memory (once per backend), and they are not disabled.
 */
export function fusedKernelsActive(): boolean {
  if (!enabled || loadError !== undefined || tf.getBackend() !== 'wasm') return false;
  try {
    bind(tf.backend() as unknown as WasmBackend);
    return true;
  } catch (e) {
    loadError = e instanceof Error ? e.message : String(e);
    return false;
  }
}

/** Why the fused kernels could not be loaded on this thread (undefined when they load or were not tried). */
export function fusedKernelsError(): string | undefined {
  return loadError;
}

/** Whether a gradient is being recorded now (inside tf.grad / variableGrads): forward kernels then keep what their backward needs. */
export function recordingGradient(): boolean {
  return (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth > 0;
}

type Inputs = Record<string, tf.TensorInfo>;
type Attrs = Record<string, number | boolean>;
type Impl = (b: Bound, inputs: Inputs, attrs: Attrs) => tf.TensorInfo | tf.TensorInfo[];

const size = (s: number[]) => s.reduce((a, x) => a * x, 1);

const IMPLS: Record<string, Impl> = {
  /**
   * y = x·W + b, x [M, in], W [in, out], b [out]. attrs.gelu: GELU(y) instead, and with attrs.deriv also GELU'(y)
   * (kept for the backward kernel when a gradient is being recorded).
   */
  RaydinoLinear(b, { x, w, bias }, { gelu, deriv }) {
    const [M, nin] = x.shape, nout = w.shape[1];
    const pre = b.out([M, nout]);
    b.k.gemm(M, nout, nin, b.ptr(x), nin, 1, b.ptr(w), nout, b.ptr(pre), nout, b.ptr(bias), 0, b.scratch(8 * nin));
    if (!gelu) return [pre];
    if (!deriv) {
      b.k.gelu(b.ptr(pre), b.ptr(pre), M * nout);
      return [pre];
    }
    const act = b.out([M, nout]);
    b.k.gelu_and_deriv(b.ptr(pre), b.ptr(act), b.ptr(pre), M * nout); // pre becomes GELU'(pre)
    return [act, pre];
  },
  /** [dx, dW, db] of RaydinoLinear from dy (and GELU'(pre), `deriv`, when it had GELU). */
  RaydinoLinearGrad(b, { dy, x, w, deriv }) {
    const [M, nin] = x.shape, nout = w.shape[1];
    const dx = b.out([M, nin]), dw = b.out([nin, nout]), db = b.out([nout]);
    // scratch: Wᵀ [out, in] | B panel [max(M, out) × 8] | dy ⊙ deriv [M, out]
    const panel = 8 * Math.max(M, nout);
    const wt = b.scratch(nin * nout + panel + (deriv ? M * nout : 0));
    const pack = wt + 4 * nin * nout, dpre = pack + 4 * panel;
    b.k.linear_grad(M, nin, nout, b.ptr(dy), b.ptr(x), b.ptr(w), deriv ? b.ptr(deriv) : 0, b.ptr(dx), b.ptr(dw), b.ptr(db), wt, dpre, pack);
    return [dx, dw, db];
  },
  /** [out [B·N, D], probs [B·H, N, N]] from qkv [B·N, 3D]. */
  RaydinoAttention(b, { qkv }, { batch, tokens, heads }) {
    const B = batch as number, N = tokens as number, H = heads as number;
    const D = qkv.shape[1] / 3, hd = D / H;
    const out = b.out([B * N, D]), probs = b.out([B * H, N, N]);
    b.k.attention(b.ptr(qkv), b.ptr(out), b.ptr(probs), B, N, H, hd, 1 / Math.sqrt(hd), b.scratch(hd * N));
    return [out, probs];
  },
  RaydinoAttentionGrad(b, { dout, qkv, probs }, { batch, tokens, heads }) {
    const B = batch as number, N = tokens as number, H = heads as number;
    const D = qkv.shape[1] / 3, hd = D / H;
    const dqkv = b.out([B * N, 3 * D]);
    b.k.attention_grad(b.ptr(dout), b.ptr(qkv), b.ptr(probs), b.ptr(dqkv), B, N, H, hd, 1 / Math.sqrt(hd), b.scratch(hd * N + N * N));
    return [dqkv];
  },
  /** [y, mean [M], rstd [M]] of LayerNorm over the last axis of x [M, D]. */
  RaydinoLayerNorm(b, { x, gamma, beta }, { eps }) {
    const [M, D] = x.shape;
    const y = b.out([M, D]), mean = b.out([M]), rstd = b.out([M]);
    b.k.layer_norm(b.ptr(x), b.ptr(gamma), b.ptr(beta), b.ptr(y), b.ptr(mean), b.ptr(rstd), M, D, eps as number);
    return [y, mean, rstd];
  },
  RaydinoLayerNormGrad(b, { dy, x, mean, rstd, gamma }) {
    const [M, D] = x.shape;
    const dx = b.out([M, D]), dg = b.out([D]), dbeta = b.out([D]);
    b.k.layer_norm_grad(b.ptr(dy), b.ptr(x), b.ptr(mean), b.ptr(rstd), b.ptr(gamma), b.ptr(dx), b.ptr(dg), b.ptr(dbeta), M, D);
    return [dx, dg, dbeta];
  },
  RaydinoGelu(b, { x }) {
    const y = b.out(x.shape);
    b.k.gelu(b.ptr(x), b.ptr(y), size(x.shape));
    return [y];
  },
  RaydinoGeluGrad(b, { dy, x }) {
    const dx = b.out(x.shape);
    b.k.gelu_grad(b.ptr(dy), b.ptr(x), b.ptr(dx), size(x.shape));
    return [dx];
  },
  /** y = x + a·γ, x and a [M, D], γ [D]. */
  RaydinoScaledAdd(b, { x, a, gamma }) {
    const [M, D] = x.shape;
    const y = b.out([M, D]);
    b.k.scaled_add(b.ptr(x), b.ptr(a), b.ptr(gamma), b.ptr(y), M, D);
    return [y];
  },
  /** [p', m', v'] of one AdamW step (attrs: the update's scalars, see kernels.as.ts `adamw`). */
  RaydinoAdamW(b, { p, m, v, g }, { b1, c1, b2, c2, sbc2, eps, decay, step }) {
    const po = b.out(p.shape), mo = b.out(p.shape), vo = b.out(p.shape);
    b.k.adamw(b.ptr(p), b.ptr(m), b.ptr(v), b.ptr(g), b.ptr(po), b.ptr(mo), b.ptr(vo), size(p.shape),
      b1 as number, c1 as number, b2 as number, c2 as number, sbc2 as number, eps as number, decay as number, step as number);
    return [po, mo, vo];
  },
  RaydinoScaledAddGrad(b, { dy, a, gamma }) {
    const [M, D] = a.shape;
    const da = b.out([M, D]), dg = b.out([D]);
    b.k.scaled_add_grad(b.ptr(dy), b.ptr(a), b.ptr(gamma), b.ptr(da), b.ptr(dg), M, D);
    return [da, dg];
  },
};

for (const [name, impl] of Object.entries(IMPLS)) {
  if (tf.getKernel(name, 'wasm')) continue;
  tf.registerKernel({
    kernelName: name, backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      for (const t of Object.values(inputs as Inputs)) {
        if (t.dtype !== 'float32') throw new Error(`${name}: inputs must be float32, got ${t.dtype}`);
      }
      return impl(bind(backend as unknown as WasmBackend), inputs as Inputs, (attrs ?? {}) as Attrs);
    },
  });
}

/**
 * tfjs-wasm's Identity kernel copies its input, and tfjs runs it for every tensor a customGrad saves for its backward
 * (engine `clone`) — hundreds of copies of activations per training step. tfjs tensors are immutable (no kernel writes
 * into an input; tfjs-wasm's own Reshape already shares its input's data), so while the fused kernels are on, Identity
 * shares the data (reference count +1) as tfjs's cpu backend does; off, the original copying kernel runs.
 */
let identityShared = false;
function shareIdentity(): void {
  const original = tf.getKernel('Identity', 'wasm');
  if (identityShared || !original) return;
  identityShared = true;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const x = (args.inputs as Inputs).x;
      if (!enabled || x.dtype === 'string') return original.kernelFunc(args);
      (args.backend as unknown as { incRef(d: unknown): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}

/** Σ over tensors of Σ x² (float32 tensors on the active wasm backend; call only when `fusedKernelsActive()`). */
export function sumOfSquares(tensors: tf.Tensor[]): number {
  const b = bind(tf.backend() as unknown as WasmBackend);
  let s = 0;
  for (const t of tensors) s += b.k.sum_squares(b.ptr(t), t.size);
  return s;
}

/** Runs a fused kernel; always returns the list of its outputs. */
export function runFused(name: keyof typeof IMPLS, inputs: Record<string, tf.Tensor>, attrs: Attrs = {}): tf.Tensor[] {
  const r = tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
  return Array.isArray(r) ? r : [r];
}
