// Adam on raw variables, with its moments as variables so a checkpoint can hold them exactly.
import * as tf from '@tensorflow/tfjs';

export class Adam {
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];
  /** Updates applied to each variable (bias correction is per variable: the readout phase updates a subset). */
  readonly steps: number[];

  constructor(private readonly vars: tf.Variable[], private readonly learningRate: number, private readonly beta1 = 0.9, private readonly beta2 = 0.999, private readonly epsilon = 1e-8) {
    this.m = vars.map((v) => tf.variable(tf.zerosLike(v), false));
    this.v = vars.map((v) => tf.variable(tf.zerosLike(v), false));
    this.steps = vars.map(() => 0);
  }

  /** Applies gradients given by variable (only those present), at `rateScale` × the learning rate. */
  apply(grads: Record<string, tf.Tensor>, rateScale = 1): void {
    tf.tidy(() => {
      this.vars.forEach((p, i) => {
        const g = grads[p.name];
        if (!g) return;
        const t = ++this.steps[i];
        const c1 = 1 - this.beta1 ** t;
        const c2 = 1 - this.beta2 ** t;
        this.m[i].assign(tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1)));
        this.v[i].assign(tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        // Bias correction folded into the step size and epsilon: fewer kernels per variable.
        const rate = (rateScale * this.learningRate * Math.sqrt(c2)) / c1;
        p.assign(tf.sub(p, tf.mul(rate, tf.div(this.m[i], tf.add(tf.sqrt(this.v[i]), this.epsilon * Math.sqrt(c2))))));
      });
    });
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
