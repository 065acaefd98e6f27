// MPC rollouts of a trained world model on onnxruntime-node: the predictor(s) and the readout head are written as
// ONNX graphs from the model's weights (Gemm, an element-wise elu, Concat), a whole rollout unrolled into one graph
// per horizon, and run on onnxruntime's CPU provider, the samples split over worker threads (`threads`). The encoder
// (one row per plan) and the cost stay on tfjs: cheap, and shared with LatentDynamicsModel, so both paths charge
// exactly the same cost. Inference only: no gradients, so the gradient planner keeps using LatentDynamicsModel.
// onnxruntime-node is an optional dependency, loaded on demand.
import * as tf from '@tensorflow/tfjs';
import type { onnx as OnnxProto } from 'onnx-proto';
import { ItineraError, type DynamicsModel, type OneStepSurprise, type RolloutResult } from '@itinera/core';
import { anchorToObservation, defaultAnchoring, latentSurprise, refuseBaseFrame, startObservation, stepMajor, toSampleMajor } from './latent-model.js';
import { LatentCost } from './latent-cost.js';
import type { Activation, Mlp } from './mlp.js';
import { IR_VERSION, loadOnnxRuntime, onnxProto, OPSET, type OnnxRuntime, type OrtSession } from './onnx-runtime.js';
import { OnnxThread } from './onnx-thread.js';
import { WorldModel } from './world-model.js';


/** Nodes and weights of one graph under construction; names are generated. */
class GraphBuilder {
  readonly nodes: OnnxProto.INodeProto[] = [];
  readonly initializers: OnnxProto.ITensorProto[] = [];
  private count = 0;

  /** Initializers written so far: a name stands for one value (a rollout graph reuses each network's weights). */
  private readonly named = new Set<string>();

  constructor(private readonly onnx: typeof OnnxProto) {}

  /** A float initializer, written once under its name. */
  constant(name: string, data: Float32Array, dims: readonly number[]): string {
    return this.initializer(name, () => ({ dims: [...dims], dataType: this.onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(Float32Array.from(data).buffer) }));
  }

  int64Constant(name: string, values: number[]): string {
    return this.initializer(name, () => ({ dims: [values.length], dataType: this.onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(BigInt64Array.from(values, BigInt).buffer) }));
  }

  private initializer(name: string, tensor: () => OnnxProto.ITensorProto): string {
    if (!this.named.has(name)) {
      this.named.add(name);
      this.initializers.push({ name, ...tensor() });
    }
    return name;
  }

  node(opType: string, input: string[], attribute: OnnxProto.IAttributeProto[] = []): string {
    const output = `${opType.toLowerCase()}_${this.count++}`;
    this.nodes.push({ opType, input, output: [output], name: output, attribute });
    return output;
  }

  /** Splits `input` along axis 0 into `parts` equal blocks; returns their names. */
  split(input: string, parts: number): string[] {
    const name = `split_${this.count++}`;
    const output = Array.from({ length: parts }, (_, i) => `${name}_${i}`);
    this.nodes.push({ opType: 'Split', input: [input], output, name, attribute: [this.intAttribute('axis', 0)] });
    return output;
  }

  intAttribute(name: string, value: number): OnnxProto.IAttributeProto {
    return { name, type: this.onnx.AttributeProto.AttributeType.INT, i: value };
  }

  /**
   * y = act(… act(x·W0 + b0) …)·Wn + bn, the same layers as applyMlp; `output` rescales the last layer into
   * (x·Wn + bn)·scale + shift, folded into its weights. Returns the output's name.
   */
  mlp(prefix: string, mlp: Mlp, input: string, activation: Activation, output?: { scale: ArrayLike<number>; shift: ArrayLike<number> }): string {
    // Folded weights are other values: they get names of their own.
    const names = (l: number) => [`${prefix}${output ? '.decoded' : ''}.${l}.w`, `${prefix}${output ? '.decoded' : ''}.${l}.b`];
    let h = input;
    for (let l = 0; l < mlp.length; l++) {
      const [wName, bName] = names(l);
      const last = l + 1 === mlp.length;
      if (!this.named.has(wName)) {
        const { w, b } = mlp[l];
        let [weights, bias] = [w.dataSync() as Float32Array, b.dataSync() as Float32Array];
        if (last && output) {
          const width = bias.length;
          weights = weights.map((v, i) => v * output.scale[i % width]);
          bias = bias.map((v, j) => v * output.scale[j] + output.shift[j]);
        }
        this.constant(wName, weights, w.shape);
        this.constant(bName, bias, b.shape);
      }
      h = this.node('Gemm', [h, wName, bName]);
      if (!last) h = activation === 'elu' ? this.elu(h) : this.node(activation === 'relu' ? 'Relu' : 'Tanh', [h]);
    }
    return h;
  }

  /**
   * elu(x) = max(x, exp(min(x, 0)) − 1), equal to x for x > 0 and to exp(x) − 1 otherwise (exp(x) − 1 ≥ x): four
   * vectorised element-wise kernels, where onnxruntime's Elu evaluates exp one element at a time (2 ns an element,
   * most of a plan's time on the reach JEPA).
   */
  private elu(x: string): string {
    const zero = this.constant('elu.zero', Float32Array.of(0), []);
    const one = this.constant('elu.one', Float32Array.of(1), []);
    return this.node('Max', [x, this.node('Sub', [this.node('Exp', [this.node('Min', [x, zero])]), one])]);
  }

  /** The serialised model: float inputs and outputs of shape [rows, width], each one's rows free. */
  encode(name: string, inputs: Array<[string, number]>, outputs: Array<[string, number]>): Uint8Array {
    const onnx = this.onnx;
    const info = ([n, width]: [string, number]): OnnxProto.IValueInfoProto => ({
      name: n,
      type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: `${n}.rows` }, { dimValue: width }] } } },
    });
    const graph: OnnxProto.IGraphProto = { name, node: this.nodes, initializer: this.initializers, input: inputs.map(info), output: outputs.map(info) };
    return onnx.ModelProto.encode({ irVersion: IR_VERSION, opsetImport: [{ domain: '', version: OPSET }], producerName: 'itinera', graph }).finish();
  }
}

/** The ONNX graphs of a model's rollouts, as bytes (they can be saved as .onnx files and opened elsewhere). */
export interface OnnxRolloutGraphs {
  /** z [rows, latent], a [rows, act] (normalised) → next [rows, latent]: the ensemble's mean of z + f_m([z, a]). */
  step: Uint8Array;
  /** z [rows, latent] → readout [rows, readouts], in the channels' own units (de-normalised). */
  readout: Uint8Array;
}

/** Adds `step` (the ensemble's mean of z + f_m([z, a])) to `g` on inputs z and a; returns the next latent's name. */
function addStep(g: GraphBuilder, model: WorldModel, z: string, a: string): string {
  const x = g.node('Concat', [z, a], [g.intAttribute('axis', 1)]);
  const members = model.predictors.map((p, m) => g.node('Add', [z, g.mlp(`predictor.${m}`, p, x, model.activation)]));
  // The same arithmetic as tf.mean over the stacked members: their sum divided by their count.
  return members.length === 1 ? members[0] : g.node('Div', [g.node('Sum', members), g.constant('members', Float32Array.of(members.length), [])]);
}

/** Adds the readout head (de-normalised to the channels' units) on latents `z` to `g`; returns its output's name. */
function addReadout(g: GraphBuilder, model: WorldModel, z: string): string {
  const { obsMean, obsStd } = model.file.normalisation;
  const output = { scale: model.readoutIndex.map((i) => obsStd[i]), shift: model.readoutIndex.map((i) => obsMean[i]) };
  return g.mlp('readout', model.networks.readout, z, model.activation, output);
}

/** Writes the model's predictor(s) and readout head as ONNX graphs (opset 13) from its current weights. */
export async function onnxRolloutGraphs(model: WorldModel): Promise<OnnxRolloutGraphs> {
  const onnx = await onnxProto();
  const latent = model.latentSize;
  const act = model.file.spec.action.names.length;
  const readouts = model.readoutIndex.length;
  const step = new GraphBuilder(onnx);
  step.nodes.push({ opType: 'Identity', input: [addStep(step, model, 'z', 'a')], output: ['next'], name: 'next' });
  const head = new GraphBuilder(onnx);
  head.nodes.push({ opType: 'Identity', input: [addReadout(head, model, 'z')], output: ['readout'], name: 'readout' });
  return {
    step: step.encode('itinera-step', [['z', latent], ['a', act]], [['next', latent]]),
    readout: head.encode('itinera-readout', [['z', latent]], [['readout', readouts]]),
  };
}

/**
 * A whole rollout of `horizon` steps as one graph, so a plan is one runtime call: z [batch, latent] (the start
 * latent on every row), a [horizon × batch, act] (normalised, step-major) → readout [horizon × batch, readouts]
 * (step-major, the latents after each step decoded) and start [1, readouts] (the start latent decoded). Each step's
 * latents are decoded as soon as they are predicted, while they are in cache.
 */
export async function onnxRolloutGraph(model: WorldModel, horizon: number): Promise<Uint8Array> {
  const g = new GraphBuilder(await onnxProto());
  const [L, A, R] = [model.latentSize, model.file.spec.action.names.length, model.readoutIndex.length];
  const steps = g.split('a', horizon);
  const decoded: string[] = [];
  let z = 'z';
  for (let h = 0; h < horizon; h++) {
    z = addStep(g, model, z, steps[h]);
    decoded.push(addReadout(g, model, z));
  }
  g.nodes.push({ opType: 'Concat', input: decoded, output: ['readout'], name: 'readout', attribute: [g.intAttribute('axis', 0)] });
  const first = g.node('Slice', ['z', g.int64Constant('first.start', [0]), g.int64Constant('first.end', [1]), g.int64Constant('first.axis', [0])]);
  g.nodes.push({ opType: 'Identity', input: [addReadout(g, model, first)], output: ['start'], name: 'start' });
  return g.encode('itinera-rollout', [['z', L], ['a', A]], [['readout', R], ['start', R]]);
}

/**
 * The fewest samples a thread takes: onnxruntime spends ~3 µs dispatching each of a rollout graph's ~600 kernels
 * whatever their rows, so a smaller share costs more than it saves (MPPI 256×30 on the reach JEPA: 1 thread 7.4 ms,
 * 2 threads of 128 samples 5.0 ms).
 */
const MIN_SHARE = 32;

export interface OnnxLatentModelOptions {
  /** See LatentDynamicsModel (default: the model config's `planning.anchorReadouts`). */
  anchorReadouts?: boolean;
  /**
   * Threads each rollout's samples may be split over (default 1): the main thread and up to threads − 1 worker
   * threads with sessions of their own, MIN_SHARE samples each at least. A sample's readouts did not depend on the
   * split in our tests (onnxruntime 1.30, x86-64).
   */
  threads?: number;
  /** onnxruntime's intra-op threads per session (default 1: they cost more than they give at a plan's sizes). */
  intraOpThreads?: number;
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
  /** Each horizon's rollout graph (unrolled over its steps) and the main thread's session on it, made on first use. */
  private readonly graphs = new Map<number, Promise<Uint8Array>>();
  private readonly sessions = new Map<number, Promise<OrtSession>>();
  /** The worker threads taking shares beside the main thread, started when a rollout first needs them. */
  private readonly workers: OnnxThread[] = [];
  /** One rollout at a time: the workers' buffers hold one job each. */
  private busy = false;

  private constructor(
    readonly model: WorldModel,
    readonly anchorReadouts: boolean,
    private readonly ort: OnnxRuntime,
    private readonly sessionOptions: Record<string, unknown>,
    /** Threads a rollout may be split over, the main thread's included. */
    private readonly threads: number,
    description: string,
  ) {
    const { spec, config, readouts } = model.file;
    refuseBaseFrame(model);
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
    const { threads = 1, intraOpThreads = 1 } = options;
    for (const [name, value] of [['threads', threads], ['intra-op threads', intraOpThreads]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new ItineraError(`onnx rollouts: ${name} must be a positive integer (got ${value})`);
    }
    const { ort, version } = await loadOnnxRuntime();
    const sessionOptions = { executionProviders: ['cpu'], intraOpNumThreads: intraOpThreads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };
    const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const description = `onnxruntime-node ${version} (cpu, ${plural(threads, 'thread')}${intraOpThreads > 1 ? ` × ${intraOpThreads} intra-op` : ''})`;
    const created = new OnnxLatentModel(model, options.anchorReadouts ?? defaultAnchoring(model), ort, sessionOptions, threads, description);
    try {
      // A one-step graph now, so weights onnxruntime refuses fail here rather than in the first plan.
      await created.session(1);
    } catch (error) {
      created.release();
      throw error;
    }
    return created;
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

  private graph(horizon: number): Promise<Uint8Array> {
    let graph = this.graphs.get(horizon);
    if (!graph) this.graphs.set(horizon, (graph = onnxRolloutGraph(this.model, horizon)));
    return graph;
  }

  private session(horizon: number): Promise<OrtSession> {
    let session = this.sessions.get(horizon);
    if (!session) this.sessions.set(horizon, (session = this.graph(horizon).then((g) => this.ort.InferenceSession.create(g, this.sessionOptions))));
    return session;
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
    if (this.busy) throw new Error('OnnxLatentModel: one rollout at a time (await the last one first)');
    this.busy = true;
    try {
      return await this.rolloutOnce(start, actions, batch, horizon);
    } finally {
      this.busy = false;
      // free() during the rollout left everything to this point.
      if (this.freed) this.dispose();
    }
  }

  private async rolloutOnce(start: unknown, actions: Float64Array, batch: number, horizon: number): Promise<RolloutResult> {
    const obs = startObservation(start, this.obsSize);
    const actN = this.normaliseActions(stepMajor(actions, batch, horizon, this.actSize));
    const m = this.model;
    const [A, R, rows] = [this.actSize, m.readoutIndex.length, horizon * batch];
    // tfjs: the start latent (one row); onnxruntime: the rollout, decoded.
    const z0 = tf.tidy(() => m.encode(m.normaliseObs(tf.tensor2d(obs, [1, this.obsSize])), true).dataSync() as Float32Array);
    const { decoded, start: decodedStart } = await this.decodeRollout(z0, actN, batch, horizon);

    // tfjs: the cost, exactly as LatentDynamicsModel charges it.
    let costs: ArrayLike<number> = [];
    tf.tidy(() => {
      let readouts = tf.tensor2d(decoded, [rows, R]);
      if (this.anchorReadouts) readouts = anchorToObservation(m, obs, readouts, tf.tensor2d(decodedStart, [1, R]));
      costs = this.cost.apply(readouts, tf.tensor2d(actN, [rows, A])).dataSync();
    });
    this.simulatedSteps += rows;
    return { costs: toSampleMajor(costs, batch, horizon) };
  }

  /**
   * onnxruntime: the readouts after each step [horizon × batch, readouts] (step-major) and of the start latent, the
   * whole rollout in one call per thread, each on a contiguous share of the samples (the main thread's first), from
   * the start latent `z0` on every row; the shares' readouts go back into step-major order.
   */
  private async decodeRollout(z0: Float32Array, actN: Float32Array, batch: number, horizon: number): Promise<{ decoded: Float32Array; start: Float32Array }> {
    const [L, A, R] = [this.model.latentSize, this.actSize, this.model.readoutIndex.length];
    const shares = Math.max(1, Math.min(this.threads, Math.floor(batch / MIN_SHARE)));
    const bounds = Array.from({ length: shares + 1 }, (_, k) => Math.round((k * batch) / shares));
    const share = (k: number) => {
      const [lo, n] = [bounds[k], bounds[k + 1] - bounds[k]];
      let a = actN;
      if (shares > 1) {
        a = new Float32Array(horizon * n * A);
        for (let h = 0; h < horizon; h++) a.set(actN.subarray((h * batch + lo) * A, (h * batch + lo + n) * A), h * n * A);
      }
      const z = new Float32Array(n * L);
      for (let b = 0; b < n; b++) z.set(z0, b * L);
      return { a, z, n };
    };
    const helpers = await this.helpers(shares - 1);
    const graph = helpers.length > 0 ? await this.graph(horizon) : undefined;
    // Every share handed out is collected, whatever fails, before a worker's buffer is written again.
    const started: OnnxThread[] = [];
    let own: Record<string, { data: unknown }> | undefined;
    let failure: unknown;
    try {
      helpers.forEach((worker, k) => {
        const { z, a } = share(k + 1);
        worker.start(graph!, horizon, { latent: L, act: A, readouts: R }, z, a);
        started.push(worker);
      });
      const { z, a, n } = share(0);
      own = await this.session(horizon).then((s) => s.run({ z: new this.ort.Tensor('float32', z, [n, L]), a: new this.ort.Tensor('float32', a, [horizon * n, A]) }));
    } catch (error) {
      failure = error;
    }
    const collected = await Promise.allSettled(started.map((worker) => worker.finish()));
    const lost = collected.find((c) => c.status === 'rejected');
    if (failure !== undefined || lost) throw failure ?? (lost as PromiseRejectedResult).reason;
    const start = own!.start.data as Float32Array;
    if (shares === 1) return { decoded: own!.readout.data as Float32Array, start };
    const parts = [own!.readout.data as Float32Array, ...collected.map((c) => (c as PromiseFulfilledResult<Float32Array>).value)];
    const decoded = new Float32Array(horizon * batch * R);
    parts.forEach((part, k) => {
      const [lo, n] = [bounds[k], bounds[k + 1] - bounds[k]];
      for (let h = 0; h < horizon; h++) decoded.set(part.subarray(h * n * R, (h + 1) * n * R), (h * batch + lo) * R);
    });
    return { decoded, start };
  }

  /** The first `count` worker threads, started (and onnxruntime loaded in them) the first time a rollout needs them. */
  private async helpers(count: number): Promise<OnnxThread[]> {
    while (this.workers.length < count) this.workers.push(new OnnxThread(this.workers.length + 1, this.sessionOptions));
    const helpers = this.workers.slice(0, count);
    await Promise.all(helpers.map((worker) => worker.ready));
    return helpers;
  }

  /** Releases the sessions and ends the worker threads; the model stays. */
  private release(): void {
    for (const session of this.sessions.values()) void session.then((s) => s.release()).catch(() => undefined);
    for (const worker of this.workers) worker.close();
    this.cost.dispose();
  }

  /** Frees everything; during a rollout, once it has ended. */
  free(): void {
    if (this.freed) return;
    this.freed = true;
    if (!this.busy) this.dispose();
  }

  private dispose(): void {
    this.release();
    this.model.dispose();
  }
}
