// One Adam update of a variable as a single tfjs kernel, for backends that register one (onnx-kernels.ts):
// adam.ts's eight element-wise kernels cost ~10 µs of tfjs bookkeeping each, a sixth of a small MLP's training step.
import * as tf from '@tensorflow/tfjs';

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

/** Whether the current backend has the one-kernel Adam update. */
export function hasAdamStepKernel(): boolean {
  return tf.getKernel(ADAM_STEP, tf.getBackend()) !== undefined;
}

/** [p', m', v'] of one Adam update. */
export function runAdamStep(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, attrs: AdamStepAttrs): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.engine().runKernel(ADAM_STEP, { p, g, m, v }, attrs as unknown as tf.NamedAttrMap) as unknown as [tf.Tensor, tf.Tensor, tf.Tensor];
}
