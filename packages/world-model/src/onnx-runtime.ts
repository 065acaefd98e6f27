// onnxruntime-node, an optional dependency, loaded on demand (by OnnxLatentModel and by its worker threads).
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
      throw new ItineraError(`onnx rollouts need onnxruntime-node (an optional dependency; npm install onnxruntime-node), which did not load here: ${reason}`);
    }
  })();
  return runtime;
}
