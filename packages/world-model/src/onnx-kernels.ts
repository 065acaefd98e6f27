// The 'wasm-onnx' backend (backend.ts): tfjs-wasm with its matrix products and column sums (bias gradients) run by
// onnxruntime's CPU kernels. tfjs-wasm's matMul is 128-bit SIMD without FMA (~13 billion multiply-adds a second
// here); onnxruntime's MLAS uses the CPU's own vector units (~55 billion with AVX-512). Each call reads its inputs
// from the wasm heap and writes its output there, through onnxruntime-node's synchronous native session (a tfjs
// kernel returns its output at once). Everything else, autodiff included, stays tfjs. The products' last bits
// depend on the CPU's kernels: opt-in only.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { onnx as OnnxProto } from 'onnx-proto';
import { IR_VERSION, loadSyncSessions, onnxProto, OPSET, type OnnxRuntime, type OrtSyncSession } from './onnx-runtime.js';

/** One thread per call, as tfjs-wasm has in Node: the trainer's thread count stays what it was. */
const SESSION_OPTIONS = { executionProviders: [{ name: 'cpu' }], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' };

interface Installed {
  sessions: OrtSyncSession[];
  /** tfjs-wasm's own kernels, for the work handed back to them and for removeOnnxKernels. */
  wasm: tf.KernelConfig[];
}

/** The kernels replaced, by name. */
const REPLACED = ['BatchMatMul', 'Sum'] as const;

let installed: Installed | undefined;

/** y = op(a)·op(b), op a transpose where asked (Gemm transposes as it reads), every dimension free. */
function matMulModel(onnx: typeof OnnxProto, transposeA: boolean, transposeB: boolean): Uint8Array {
  const flag = (name: string, on: boolean) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: on ? 1 : 0 });
  const matrix = (name: string): OnnxProto.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: `${name}.rows` }, { dimParam: `${name}.cols` }] } } },
  });
  const node = { opType: 'Gemm', input: ['a', 'b'], output: ['y'], name: 'gemm', attribute: [flag('transA', transposeA), flag('transB', transposeB)] };
  const graph: OnnxProto.IGraphProto = { name: 'matmul', node: [node], input: [matrix('a'), matrix('b')], output: [matrix('y')] };
  return onnx.ModelProto.encode({ irVersion: IR_VERSION, opsetImport: [{ domain: '', version: OPSET }], producerName: 'itinera', graph }).finish();
}

/** The elements of one tensor on the wasm heap, viewed in place (take views after the last allocation: one may move the heap). */
function heap(backend: BackendWasm, t: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** Allocates `out` on the heap, fills it with `fill`; an error frees it (tfjs never sees the tensor). */
function produce(backend: BackendWasm, shape: number[], fill: (out: tf.TensorInfo) => void): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  try {
    fill(out);
  } catch (error) {
    backend.disposeData(out.dataId);
    throw error;
  }
  return out;
}

function matMulKernel(ort: OnnxRuntime, sessions: OrtSyncSession[], wasmMatMul: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as Record<'a' | 'b', tf.TensorInfo>;
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const batch = (t: tf.TensorInfo) => tf.util.sizeFromShape(t.shape.slice(0, -2));
    // One pair of matrices in f32: onnxruntime's; stacks of them (not in our networks) and empty ones stay on wasm.
    if (batch(a) !== 1 || batch(b) !== 1 || a.dtype !== 'float32' || b.dtype !== 'float32' || tf.util.sizeFromShape(a.shape) === 0 || tf.util.sizeFromShape(b.shape) === 0) {
      return wasmMatMul(args);
    }
    const backend = args.backend as BackendWasm;
    const [ar, ac] = a.shape.slice(-2);
    const [br, bc] = b.shape.slice(-2);
    const rows = transposeA ? ac : ar;
    const cols = transposeB ? br : bc;
    const session = sessions[(transposeA ? 2 : 0) + (transposeB ? 1 : 0)];
    return produce(backend, [...(a.shape.length >= b.shape.length ? a : b).shape.slice(0, -2), rows, cols], (out) => {
      const y = new ort.Tensor('float32', heap(backend, out), [rows, cols]);
      session.run({ a: new ort.Tensor('float32', heap(backend, a), [ar, ac]), b: new ort.Tensor('float32', heap(backend, b), [br, bc]) }, { y }, {});
    });
  };
}

/** A matrix's column sums (a bias's gradient) as ones[1, rows]·x: tfjs-wasm transposes to sum along axis 0. */
function sumKernel(ort: OnnxRuntime, product: OrtSyncSession, wasmSum: tf.KernelFunc): tf.KernelFunc {
  let ones = new Float32Array(0);
  return (args) => {
    const { x } = args.inputs as Record<'x', tf.TensorInfo>;
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape);
    if (x.shape.length !== 2 || x.dtype !== 'float32' || axes.length !== 1 || axes[0] !== 0 || tf.util.sizeFromShape(x.shape) === 0) return wasmSum(args);
    const backend = args.backend as BackendWasm;
    const [rows, cols] = x.shape;
    if (ones.length < rows) ones = new Float32Array(rows).fill(1);
    return produce(backend, keepDims ? [1, cols] : [cols], (out) => {
      const y = new ort.Tensor('float32', heap(backend, out), [1, cols]);
      product.run({ a: new ort.Tensor('float32', ones.subarray(0, rows), [1, rows]), b: new ort.Tensor('float32', heap(backend, x), [rows, cols]) }, { y }, {});
    });
  };
}

/** Runs those kernels on onnxruntime from now on; a one-line error if it cannot load. */
export async function installOnnxKernels(): Promise<void> {
  if (installed) return;
  const [wasmMatMul, wasmSum] = REPLACED.map((name) => tf.getKernel(name, 'wasm'));
  if (!wasmMatMul || !wasmSum) throw new Error('installOnnxKernels: the wasm backend is not loaded');
  const { ort, open } = await loadSyncSessions();
  const onnx = await onnxProto();
  const products: OrtSyncSession[] = [];
  try {
    for (const ta of [false, true]) for (const tb of [false, true]) products.push(open(matMulModel(onnx, ta, tb), SESSION_OPTIONS));
  } catch (error) {
    for (const session of products) session.dispose();
    throw error;
  }
  for (const name of REPLACED) tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: matMulKernel(ort, products, wasmMatMul.kernelFunc) });
  tf.registerKernel({ kernelName: 'Sum', backendName: 'wasm', kernelFunc: sumKernel(ort, products[0], wasmSum.kernelFunc) });
  installed = { sessions: products, wasm: [wasmMatMul, wasmSum] };
}

/** Back to tfjs-wasm's own kernels. */
export function removeOnnxKernels(): void {
  if (!installed) return;
  for (const name of REPLACED) tf.unregisterKernel(name, 'wasm');
  for (const kernel of installed.wasm) tf.registerKernel(kernel);
  for (const session of installed.sessions) session.dispose();
  installed = undefined;
}
