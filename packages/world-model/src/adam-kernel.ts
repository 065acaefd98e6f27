// One Adam update of a variable as a single tfjs kernel on the wasm backend: adam.ts's eight element-wise kernels
// cost ~10 µs of tfjs bookkeeping each and one pass over memory each, 0.7 ms of a 3 ms MLP training step. Here one
// pass of 128-bit wasm SIMD does the same f32 operations in the same order on tfjs-wasm's own heap, so the update
// has the same bits as the eight kernels (test) at a fraction of their time.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const ADAM_STEP = 'ItineraAdamStep';

/** m' = m·β1 + g·(1−β1), v' = v·β2 + g²·(1−β2), p' = p − rate·m' / (√v' + ε). */
export interface AdamStepAttrs {
  beta1: number;
  beta2: number;
  /** The step size with bias correction folded in (adam.ts). */
  rate: number;
  /** ε as adam.ts scales it. */
  epsilon: number;
}

/** LEB128 of an unsigned integer (the wasm binary format's numbers). */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

function name(text: string): number[] {
  return [...leb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

/**
 * The module: `adam(p, g, m, v, p1, m1, v1, bytes, β1, 1−β1, β2, 1−β2, rate, ε)` over the first `bytes` (a multiple of
 * 16) of each array, addresses in the imported memory. Written as bytes: the project has no wasm toolchain, and the
 * function is a dozen SIMD instructions in a loop.
 */
function adamModule(): Uint8Array {
  const I32 = 0x7f;
  const F32 = 0x7d;
  const V128 = 0x7b;
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const simd = (op: number) => [0xfd, ...leb(op)];
  // v128.load / v128.store with a 4-byte alignment hint and no offset.
  const load = [...simd(0x00), 2, 0];
  const store = [...simd(0x0b), 2, 0];
  const [splat, sqrt, add, sub, mul, div] = [0x13, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7].map(simd);
  // Parameters 0–6 addresses, 7 bytes, 8–13 the scalars; locals 14 the offset, 15–20 the splatted scalars, 21–23 g, m', v'.
  const [I, G, M, V] = [14, 21, 22, 23];
  const at = (base: number) => [...get(base), ...get(I), 0x6a];
  const body = [
    ...[8, 9, 10, 11, 12, 13].flatMap((k) => [...get(k), ...splat, ...set(k + 7)]),
    0x02, 0x40, 0x03, 0x40,
    ...get(I), ...get(7), 0x4f, 0x0d, 1,
    ...at(1), ...load, ...set(G),
    ...at(2), ...load, ...get(15), ...mul, ...get(G), ...get(16), ...mul, ...add, ...set(M),
    ...at(3), ...load, ...get(17), ...mul, ...get(G), ...get(G), ...mul, ...get(18), ...mul, ...add, ...set(V),
    ...at(5), ...get(M), ...store,
    ...at(6), ...get(V), ...store,
    ...at(4), ...at(0), ...load, ...get(19), ...get(M), ...get(V), ...sqrt, ...get(20), ...add, ...div, ...mul, ...sub, ...store,
    ...get(I), 0x41, 16, 0x6a, ...set(I),
    0x0c, 0, 0x0b, 0x0b, 0x0b,
  ];
  const locals = [2, 1, I32, 9, V128];
  const code = [...leb(locals.length + body.length), ...locals, ...body];
  const params = [...Array(8).fill(I32), ...Array(6).fill(F32)];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, ...leb(params.length), ...params, 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x00]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('adam'), 0x00, 0]),
    ...section(10, [1, ...code]),
  ]);
}

type AdamFunction = (p: number, g: number, m: number, v: number, p1: number, m1: number, v1: number, bytes: number, b1: number, c1: number, b2: number, c2: number, rate: number, eps: number) => void;

let compiled: WebAssembly.Module | undefined;
const instances = new WeakMap<WebAssembly.Memory, AdamFunction>();

/**
 * tfjs-wasm's heap as a WebAssembly.Memory (its emscripten module exports it), or undefined in a build that does not
 * or whose heap is shared (a threaded build: the module imports an unshared memory).
 */
function heapMemory(backend: BackendWasm): WebAssembly.Memory | undefined {
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  return memory instanceof WebAssembly.Memory && !(memory.buffer instanceof SharedArrayBuffer) ? memory : undefined;
}

/** The SIMD update bound to this backend's heap. */
function adamOn(memory: WebAssembly.Memory): AdamFunction {
  let adam = instances.get(memory);
  if (!adam) {
    compiled ??= new WebAssembly.Module(adamModule() as BufferSource);
    adam = new WebAssembly.Instance(compiled, { env: { memory } }).exports.adam as AdamFunction;
    instances.set(memory, adam);
  }
  return adam;
}

const f = Math.fround;

tf.registerKernel({
  kernelName: ADAM_STEP,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const wasm = backend as BackendWasm;
    const { p, g, m, v } = inputs as Record<'p' | 'g' | 'm' | 'v', tf.TensorInfo>;
    const { beta1, beta2, rate, epsilon } = attrs as unknown as AdamStepAttrs;
    const outputs = [p, m, v].map((t) => wasm.makeOutput(t.shape, 'float32'));
    // Views after every allocation: one may have grown (and so moved) the heap.
    const [ph, gh, mh, vh, p1, m1, v1] = [p, g, m, v, ...outputs].map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
    const simd = ph.length & ~3;
    adamOn(heapMemory(wasm)!)(ph.byteOffset, gh.byteOffset, mh.byteOffset, vh.byteOffset, p1.byteOffset, m1.byteOffset, v1.byteOffset, simd * 4, beta1, 1 - beta1, beta2, 1 - beta2, rate, epsilon);
    // The last few elements, the same f32 operations one at a time (a double's +, ×, ÷, √ of floats, rounded to float, is the float operation).
    const [b1, c1, b2, c2, r, eps] = [beta1, 1 - beta1, beta2, 1 - beta2, rate, epsilon].map(f);
    for (let i = simd; i < ph.length; i++) {
      const gi = gh[i];
      m1[i] = f(f(mh[i] * b1) + f(gi * c1));
      v1[i] = f(f(vh[i] * b2) + f(f(gi * gi) * c2));
      p1[i] = f(ph[i] - f(r * f(m1[i] / f(f(Math.sqrt(v1[i])) + eps))));
    }
    return outputs;
  },
});

/** Whether the current backend has the one-kernel Adam update. */
export function hasAdamStepKernel(): boolean {
  const backend = tf.getBackend();
  return tf.getKernel(ADAM_STEP, backend) !== undefined && (backend !== 'wasm' || heapMemory(tf.backend() as BackendWasm) !== undefined);
}

/** [p', m', v'] of one Adam update. */
export function runAdamStep(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, attrs: AdamStepAttrs): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.engine().runKernel(ADAM_STEP, { p, g, m, v }, attrs as unknown as tf.NamedAttrMap) as unknown as [tf.Tensor, tf.Tensor, tf.Tensor];
}
