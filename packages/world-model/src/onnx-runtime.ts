// onnxruntime-node, an optional dependency, loaded on demand (by OnnxLatentModel and its worker threads, and by the
// wasm-onnx backend's kernels).
import { createRequire } from 'node:module';
import type { onnx as OnnxProto } from 'onnx-proto';
import { ItineraError } from '@itinera/core';

// The slice of onnxruntime-node's API used here, typed locally so the project builds without the optional package.
export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}
export interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
export interface OnnxRuntime {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
  env: { versions?: { node?: string; common?: string } };
}

/** The package, once loaded; the version is the one reported in run summaries. */
let runtime: Promise<{ ort: OnnxRuntime; version: string }> | undefined;

/** Loads onnxruntime-node; a one-line ItineraError when it is absent or its native library does not load. */
export function loadOnnxRuntime(): Promise<{ ort: OnnxRuntime; version: string }> {
  runtime ??= (async () => {
    const specifier = 'onnxruntime-node';
    try {
      const mod = await import(specifier);
      const ort = (mod.InferenceSession ? mod : mod.default) as OnnxRuntime;
      return { ort, version: ort.env?.versions?.node ?? ort.env?.versions?.common ?? 'unknown version' };
    } catch (error) {
      runtime = undefined;
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      throw new ItineraError(`onnxruntime-node (an optional dependency: npm install onnxruntime-node) did not load here: ${reason}`);
    }
  })();
  return runtime;
}

/** The ONNX versions the project's graphs are written for. */
export const OPSET = 13;
export const IR_VERSION = 7;

/** onnx-proto's message classes (graphs are written with them). */
export async function onnxProto(): Promise<typeof OnnxProto> {
  const mod = (await import('onnx-proto')) as unknown as { onnx?: typeof OnnxProto; default?: { onnx: typeof OnnxProto } };
  return (mod.onnx ?? mod.default!.onnx)!;
}

/** A session of onnxruntime-node's native binding: `run` returns its outputs at once (writing into given ones). */
export interface OrtSyncSession {
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, OrtTensor | null>, options: Record<string, unknown>): Record<string, OrtTensor>;
  dispose(): void;
}

interface NativeSession extends OrtSyncSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: Record<string, unknown>): void;
}

/**
 * Opens models as synchronous sessions, for work that cannot wait for a promise (a tfjs kernel returns its output).
 * The package's public `run` is asynchronous only in that it defers the native binding's synchronous call to
 * setImmediate; the binding (`onnxruntime-node/dist/binding.js`) is not public API, so its shape is checked here and
 * a mismatch is a one-line error.
 */
export async function loadSyncSessions(): Promise<{ ort: OnnxRuntime; open(model: Uint8Array, options: Record<string, unknown>): OrtSyncSession }> {
  const { ort, version } = await loadOnnxRuntime();
  let native: { binding: { InferenceSession: new () => NativeSession }; initOrt(): void };
  try {
    native = createRequire(import.meta.url)('onnxruntime-node/dist/binding.js');
    native.initOrt();
  } catch (error) {
    throw new ItineraError(`onnxruntime-node ${version}: its native binding did not load (${(error instanceof Error ? error.message : String(error)).split('\n')[0]})`);
  }
  const Session = native.binding?.InferenceSession;
  if (typeof Session !== 'function' || typeof Session.prototype.loadModel !== 'function' || typeof Session.prototype.run !== 'function') {
    throw new ItineraError(`onnxruntime-node ${version}: its native binding has no synchronous session (tested with 1.30)`);
  }
  return {
    ort,
    open(model, options) {
      const session = new Session();
      session.loadModel(model.buffer, model.byteOffset, model.byteLength, options);
      return session;
    },
  };
}
