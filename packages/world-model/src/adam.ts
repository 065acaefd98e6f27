// Adam on raw variables, with its moments as variables so a checkpoint can hold them exactly.
import * as tf from '@tensorflow/tfjs';
import { hasAdamStepKernel, runAdamStep } from './adam-kernel.js';

export class Adam {
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];
  /** Updates applied to each variable (bias correction is per variable: the readout phase updates a subset). */
  readonly steps: number[];
  /** One kernel per variable where the backend has it (adam-kernel.ts); false: eight, as benchmarks compare. */
  fusedUpdate = true;

  constructor(private readonly vars: tf.Variable[], private readonly learningRate: number, private readonly beta1 = 0.9, private readonly beta2 = 0.999, private readonly epsilon = 1e-8) {
    this.m = vars.map((v) => tf.variable(tf.zerosLike(v), false));
    this.v = vars.map((v) => tf.variable(tf.zerosLike(v), false));
    this.steps = vars.map(() => 0);
  }

  /** Applies gradients given by variable (only those present), at `rateScale` × the learning rate. */
  apply(grads: Record<string, tf.Tensor>, rateScale = 1): void {
    const fused = this.fusedUpdate && hasAdamStepKernel();
    tf.tidy(() => {
      this.vars.forEach((p, i) => {
        const g = grads[p.name];
        if (!g) return;
        const t = ++this.steps[i];
        const c1 = 1 - this.beta1 ** t;
        const c2 = 1 - this.beta2 ** t;
        // Bias correction folded into the step size and epsilon: fewer operations per element.
        const rate = (rateScale * this.learningRate * Math.sqrt(c2)) / c1;
        const epsilon = this.epsilon * Math.sqrt(c2);
        if (fused) {
          // The same arithmetic in one kernel (adam-kernel.ts).
          const [p1, m1, v1] = runAdamStep(p, g, this.m[i], this.v[i], { beta1: this.beta1, beta2: this.beta2, rate, epsilon });
          this.m[i].assign(m1);
          this.v[i].assign(v1);
          p.assign(p1);
          return;
        }
        this.m[i].assign(tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1)));
        this.v[i].assign(tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        p.assign(tf.sub(p, tf.mul(rate, tf.div(this.m[i], tf.add(tf.sqrt(this.v[i]), epsilon)))));
      });
    });
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
