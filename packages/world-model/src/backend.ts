// The only place a TensorFlow.js backend is chosen: native GPU, native CPU, WebAssembly, plain JS — the
// first that loads, or the one asked for; the choice is reported in every result.
import * as tf from '@tensorflow/tfjs';
import { ItineraError } from '@itinera/core';
import { useMatMulGradient } from './matmul-gradient.js';
import { installOnnxKernels, removeOnnxKernels } from './onnx-kernels.js';
import { loadSyncSessions } from './onnx-runtime.js';

export const BACKEND_NAMES = ['node-gpu', 'node', 'wasm', 'wasm-onnx', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type BackendRequest = 'auto' | BackendName;

/** What 'auto' tries, in order: 'wasm-onnx' only when asked for (its products' last bits depend on the CPU). */
const AUTO_ORDER: readonly BackendName[] = ['node-gpu', 'node', 'wasm', 'cpu'];

export interface BackendInfo {
  name: BackendName;
  /** tfjs's own name for it ('tensorflow', 'wasm', 'cpu'). */
  tfName: string;
  /** One line for logs: 'wasm (simd, 1 thread)'. */
  description: string;
  /** Why each backend tried before it did not load. */
  skipped: Record<string, string>;
}

// Native packages are optionalDependencies: absent, or installed with their native library missing.
const NATIVE_PACKAGES: Record<'node-gpu' | 'node', string> = { 'node-gpu': '@tensorflow/tfjs-node-gpu', node: '@tensorflow/tfjs-node' };

let current: BackendInfo | undefined;

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

/** Loads one backend; throws with the reason it cannot. */
async function load(name: BackendName): Promise<string> {
  if (name === 'node-gpu' || name === 'node') {
    const specifier = NATIVE_PACKAGES[name];
    // Any error counts: a package whose install script was denied is installed but broken.
    await import(specifier);
    if (!(await tf.setBackend('tensorflow'))) throw new Error(`${specifier} loaded but its backend did not initialise`);
    return 'tensorflow';
  }
  if (name === 'wasm' || name === 'wasm-onnx') {
    await import('@tensorflow/tfjs-backend-wasm');
    // onnxruntime loads before the switch: if it does not, the backend in use stays as it was.
    if (name === 'wasm-onnx') await loadSyncSessions();
    if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly backend did not initialise');
    // After the backend's first initialisation, which sets up tfjs-wasm's own kernels (the replaced ones serve as fallbacks).
    if (name === 'wasm-onnx') await installOnnxKernels();
    else removeOnnxKernels();
    return 'wasm';
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('the CPU backend did not initialise');
  return 'cpu';
}

function describe(name: BackendName): string {
  if (name === 'wasm-onnx') return `${describe('wasm')} + onnxruntime matMul`;
  if (name !== 'wasm') return name;
  // Node has no SharedArrayBuffer workers for tfjs-wasm: one thread; parallelise with processes instead.
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'simd' : 'no simd';
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'threads' : '1 thread';
  return `wasm (${simd}, ${threads})`;
}

/**
 * Chooses the backend once per process ('auto': node-gpu, node, wasm, cpu — the first that loads) and installs
 * the fast BatchMatMul gradient. A forced backend that cannot load is a user error.
 */
export async function initBackend(request: BackendRequest = 'auto'): Promise<BackendInfo> {
  if (current && (request === 'auto' || request === current.name)) return current;
  const order = request === 'auto' ? AUTO_ORDER : [request];
  const skipped: Record<string, string> = {};
  // PROD silences tfjs's console banners ("install the node backend") so --json output stays clean.
  tf.env().set('PROD', true);
  for (const name of order) {
    try {
      const tfName = await load(name);
      // onnxruntime's Gemm transposes as it reads; tfjs-wasm's matMul is fastest given plain operands.
      useMatMulGradient(name === 'wasm-onnx' ? 'stock' : 'explicit-transpose');
      current = { name, tfName, description: describe(name), skipped };
      return current;
    } catch (error) {
      skipped[name] = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    }
  }
  if (request !== 'auto') throw new ItineraError(`--backend ${request} is not available here: ${skipped[request]}`);
  throw new Error(`no TensorFlow.js backend loaded: ${JSON.stringify(skipped)}`);
}

/** The backend chosen so far, if any. */
export function currentBackend(): BackendInfo | undefined {
  return current;
}
