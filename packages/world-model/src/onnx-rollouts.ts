// MPC rollouts of a trained world model on onnxruntime-node: the predictor(s) and the readout head are written as
// ONNX graphs from the model's weights (MatMul, Add, Elu|Relu|Tanh, Concat) and run on onnxruntime's CPU provider:
// MPPI plans about 2× faster than on tfjs-wasm in bench:models (the MLPs alone run 3.2–3.4× faster). The encoder
// (one row per plan) and the cost stay on tfjs: cheap, and shared with LatentDynamicsModel, so both paths charge
// exactly the same cost. Inference only: no gradients, so the gradient planner keeps using LatentDynamicsModel.
// onnxruntime-node is an optional dependency, loaded on demand.
import * as tf from '@tensorflow/tfjs';
import type { onnx as OnnxProto } from 'onnx-proto';
import { ItineraError, type DynamicsModel, type OneStepSurprise, type RolloutResult } from '@itinera/core';
import { anchorToObservation, defaultAnchoring, latentSurprise, startObservation, stepMajor, toSampleMajor } from './latent-model.js';
import { LatentCost } from './latent-cost.js';
import type { Mlp } from './mlp.js';
import { WorldModel } from './world-model.js';

// The slice of onnxruntime-node's API used here, typed locally so the project builds without the optional package.
interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface OnnxRuntime {
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

async function onnxProto(): Promise<typeof OnnxProto> {
  const mod = (await import('onnx-proto')) as unknown as { onnx?: typeof OnnxProto; default?: { onnx: typeof OnnxProto } };
  return (mod.onnx ?? mod.default!.onnx)!;
}

const OPSET = 13;
const IR_VERSION = 7;

/** Nodes and weights of one graph under construction; names are generated. */
class GraphBuilder {
  readonly nodes: OnnxProto.INodeProto[] = [];
  readonly initializers: OnnxProto.ITensorProto[] = [];
  private count = 0;

  constructor(private readonly onnx: typeof OnnxProto) {}

  constant(name: string, data: Float32Array, dims: readonly number[]): string {
    const copy = Float32Array.from(data);
    this.initializers.push({ name, dims: [...dims], dataType: this.onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(copy.buffer) });
    return name;
  }

  node(opType: string, input: string[], attribute: OnnxProto.IAttributeProto[] = []): string {
    const output = `${opType.toLowerCase()}_${this.count++}`;
    this.nodes.push({ opType, input, output: [output], name: output, attribute });
    return output;
  }

  intAttribute(name: string, value: number): OnnxProto.IAttributeProto {
    return { name, type: this.onnx.AttributeProto.AttributeType.INT, i: value };
  }

  /** y = act(… act(x·W0 + b0) …)·Wn + bn, the same layers as applyMlp; returns the output's name. */
  mlp(prefix: string, mlp: Mlp, input: string, activation: 'elu' | 'relu' | 'tanh'): string {
    const op = activation === 'elu' ? 'Elu' : activation === 'relu' ? 'Relu' : 'Tanh';
    let h = input;
    mlp.forEach(({ w, b }, l) => {
      const weight = this.constant(`${prefix}.${l}.w`, w.dataSync() as Float32Array, w.shape);
      const bias = this.constant(`${prefix}.${l}.b`, b.dataSync() as Float32Array, b.shape);
      h = this.node('Add', [this.node('MatMul', [h, weight]), bias]);
      if (l + 1 < mlp.length) h = this.node(op, [h]);
    });
    return h;
  }

  /** The serialised model: float inputs and outputs of shape [rows, width], rows free. */
  encode(name: string, inputs: Array<[string, number]>, outputs: Array<[string, number]>): Uint8Array {
    const onnx = this.onnx;
    const info = ([n, width]: [string, number]): OnnxProto.IValueInfoProto => ({
      name: n,
      type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'rows' }, { dimValue: width }] } } },
    });
    const graph: OnnxProto.IGraphProto = { name, node: this.nodes, initializer: this.initializers, input: inputs.map(info), output: outputs.map(info) };
    return onnx.ModelProto.encode({ irVersion: IR_VERSION, opsetImport: [{ domain: '', version: OPSET }], producerName: 'itinera', graph }).finish();
  }
}

/** The two ONNX graphs of a model's rollouts, as bytes (they can be saved as .onnx files and opened elsewhere). */
export interface OnnxRolloutGraphs {
  /** z [rows, latent], a [rows, act] (normalised) → next [rows, latent]: the ensemble's mean of z + f_m([z, a]). */
  step: Uint8Array;
  /** z [rows, latent] → readout [rows, readouts], in the channels' own units (de-normalised). */
  readout: Uint8Array;
}

/** Writes the model's predictor(s) and readout head as ONNX graphs (opset 13) from its current weights. */
export async function onnxRolloutGraphs(model: WorldModel): Promise<OnnxRolloutGraphs> {
  const onnx = await onnxProto();
  const latent = model.latentSize;
  const act = model.file.spec.action.names.length;
  const readouts = model.readoutIndex.length;

  const step = new GraphBuilder(onnx);
  const x = step.node('Concat', ['z', 'a'], [step.intAttribute('axis', 1)]);
  const members = model.predictors.map((p, m) => step.node('Add', ['z', step.mlp(`predictor.${m}`, p, x, model.activation)]));
  // The same arithmetic as tf.mean over the stacked members: their sum divided by their count.
  const mean = members.length === 1 ? members[0] : step.node('Div', [step.node('Sum', members), step.constant('members', Float32Array.of(members.length), [])]);
  step.nodes.push({ opType: 'Identity', input: [mean], output: ['next'], name: 'next' });

  const head = new GraphBuilder(onnx);
  const { obsMean, obsStd } = model.file.normalisation;
  const std = head.constant('readout.std', Float32Array.from(model.readoutIndex, (i) => obsStd[i]), [readouts]);
  const centre = head.constant('readout.mean', Float32Array.from(model.readoutIndex, (i) => obsMean[i]), [readouts]);
  const decoded = head.node('Add', [head.node('Mul', [head.mlp('readout', model.networks.readout, 'z', model.activation), std]), centre]);
  head.nodes.push({ opType: 'Identity', input: [decoded], output: ['readout'], name: 'readout' });

  return {
    step: step.encode('itinera-step', [['z', latent], ['a', act]], [['next', latent]]),
    readout: head.encode('itinera-readout', [['z', latent]], [['readout', readouts]]),
  };
}

export interface OnnxLatentModelOptions {
  /** See LatentDynamicsModel (default: the model config's `planning.anchorReadouts`). */
  anchorReadouts?: boolean;
  /** onnxruntime's intra-op threads per session (default 1: parallelise planners with processes instead). */
  threads?: number;
}

/**
 * A trained world model as a DynamicsModel whose hot loop runs on onnxruntime-node: the same contract, observation
 * checks and costs as LatentDynamicsModel (to float rounding), not differentiable. Create with `OnnxLatentModel.create`.
 */
export class OnnxLatentModel implements DynamicsModel<unknown> {
  readonly kind = 'learned' as const;
  readonly differentiable = false as const;
  readonly cost: LatentCost;
  /** Level-0 surprise, on tfjs (one step per control step, not the hot loop). */
  readonly surprise: OneStepSurprise;
  /** One line for run summaries: 'onnxruntime-node 1.30.0 (cpu, 1 thread)'. */
  readonly description: string;
  /** Control steps imagined since creation (for throughput reports). */
  simulatedSteps = 0;
  private readonly obsSize: number;
  private readonly actSize: number;
  /** The action normalisation of WorldModel (its tensors' values, as float32). */
  private readonly actMid: Float32Array;
  private readonly actHalf: Float32Array;
  private freed = false;

  private constructor(
    readonly model: WorldModel,
    readonly anchorReadouts: boolean,
    private readonly ort: OnnxRuntime,
    private readonly step: OrtSession,
    private readonly readout: OrtSession,
    description: string,
  ) {
    const { spec, config, readouts } = model.file;
    this.obsSize = spec.observation.names.length;
    this.actSize = spec.action.names.length;
    this.cost = new LatentCost(config.cost, readouts, spec.observation.names);
    this.description = description;
    this.surprise = latentSurprise(model);
    const { low, high } = spec.action;
    this.actMid = Float32Array.from(low, (l, i) => (l + high[i]) / 2);
    this.actHalf = Float32Array.from(low, (l, i) => (high[i] - l) / 2);
  }

  /** Takes ownership of `model` (freed with this). Throws an ItineraError when onnxruntime-node does not load. */
  static async create(model: WorldModel, options: OnnxLatentModelOptions = {}): Promise<OnnxLatentModel> {
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw new ItineraError(`onnx rollouts: threads must be a positive integer (got ${threads})`);
    const { ort, version } = await loadOnnxRuntime();
    const graphs = await onnxRolloutGraphs(model);
    const sessionOptions = { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };
    const step = await ort.InferenceSession.create(graphs.step, sessionOptions);
    let readout: OrtSession;
    try {
      readout = await ort.InferenceSession.create(graphs.readout, sessionOptions);
    } catch (error) {
      void step.release();
      throw error;
    }
    const description = `onnxruntime-node ${version} (cpu, ${threads} thread${threads === 1 ? '' : 's'})`;
    return new OnnxLatentModel(model, options.anchorReadouts ?? defaultAnchoring(model), ort, step, readout, description);
  }

  static async load(dir: string, options: OnnxLatentModelOptions = {}): Promise<OnnxLatentModel> {
    const model = WorldModel.load(dir);
    try {
      return await OnnxLatentModel.create(model, options);
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  /**
   * WorldModel.normaliseAct on a plain array, in place: (a − mid) / half with float32 rounding after each operation,
   * as tfjs computes it (float64 then rounding to float32 is exact for one subtraction or division of float32 values).
   */
  private normaliseActions(flat: Float32Array): Float32Array {
    const A = this.actSize;
    for (let i = 0; i < flat.length; i++) flat[i] = Math.fround(Math.fround(flat[i] - this.actMid[i % A]) / this.actHalf[i % A]);
    return flat;
  }

  async rollout(start: unknown, actions: Float64Array, batch: number, horizon: number): Promise<RolloutResult> {
    if (this.freed) throw new Error('OnnxLatentModel: rollout after free()');
    const obs = startObservation(start, this.obsSize);
    const flat = stepMajor(actions, batch, horizon, this.actSize);
    const m = this.model;
    const [L, A, R, rows] = [m.latentSize, this.actSize, m.readoutIndex.length, horizon * batch];
    // tfjs: the start latent (one row). The actions are normalised here: tfjs-wasm takes ~20 ms for [7680, 2].
    const z0 = tf.tidy(() => m.encode(m.normaliseObs(tf.tensor2d(obs, [1, this.obsSize])), true).dataSync() as Float32Array);
    const actN = this.normaliseActions(flat);

    // onnxruntime: one predictor call per step on [batch, latent + act]; latents gathered step-major after the
    // start latent (row 0, decoded only for anchoring).
    const latents = new Float32Array((rows + 1) * L);
    latents.set(z0, 0);
    let z: Float32Array = new Float32Array(batch * L);
    for (let b = 0; b < batch; b++) z.set(z0, b * L);
    for (let h = 0; h < horizon; h++) {
      const out = await this.step.run({
        z: new this.ort.Tensor('float32', z, [batch, L]),
        a: new this.ort.Tensor('float32', actN.subarray(h * batch * A, (h + 1) * batch * A), [batch, A]),
      });
      z = out.next.data as Float32Array;
      latents.set(z, (1 + h * batch) * L);
    }
    const first = this.anchorReadouts ? 0 : 1;
    const decoded = (await this.readout.run({ z: new this.ort.Tensor('float32', latents.subarray(first * L), [rows + 1 - first, L]) })).readout.data as Float32Array;

    // tfjs: the cost, exactly as LatentDynamicsModel charges it.
    let costs: ArrayLike<number> = [];
    tf.tidy(() => {
      let readouts = tf.tensor2d(decoded.subarray((1 - first) * R), [rows, R]);
      if (this.anchorReadouts) readouts = anchorToObservation(m, obs, readouts, tf.tensor2d(decoded.subarray(0, R), [1, R]));
      costs = this.cost.apply(readouts, tf.tensor2d(actN, [rows, A])).dataSync();
    });
    this.simulatedSteps += rows;
    return { costs: toSampleMajor(costs, batch, horizon) };
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    for (const session of [this.step, this.readout]) void session.release().catch(() => undefined);
    this.cost.dispose();
    this.model.dispose();
  }
}
