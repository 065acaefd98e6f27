// On the wasm backend a matMul with transposeA/transposeB set is 12–16× slower than a plain one, and the stock
// BatchMatMul gradient uses exactly those. This gradient transposes explicitly, then calls a plain matMul:
// the same numbers, about 4× faster training.
// Imported from the union package: its Node build registers the gradients (tfjs-core's alone has none).
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs';

/** The gradient tfjs-core ships, kept so tests can compare and benchmarks can switch back. */
export const stockBatchMatMulGradient: GradConfig = tf.getGradient('BatchMatMul')!;

/** Swaps the last two axes (the batch axes stay). */
function swapLast(x: Tensor): Tensor {
  const perm = Array.from({ length: x.rank }, (_, i) => i);
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
  return tf.transpose(x, perm);
}

/** matMul(x, y, tx, ty) without asking the kernel to transpose. */
function plainMatMul(x: Tensor, y: Tensor, tx: boolean, ty: boolean): Tensor {
  return tf.matMul(tx ? swapLast(x) : x, ty ? swapLast(y) : y);
}

export const explicitTransposeBatchMatMulGradient: GradConfig = {
  kernelName: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const g = dy as Tensor;
    const [a, b] = saved;
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    // The four cases of tfjs-core's BatchMatMul_grad, each product rewritten as a plain matMul.
    if (!transposeA && !transposeB) return { a: () => plainMatMul(g, b, false, true), b: () => plainMatMul(a, g, true, false) };
    if (!transposeA && transposeB) return { a: () => plainMatMul(g, b, false, false), b: () => plainMatMul(g, a, true, false) };
    if (transposeA && !transposeB) return { a: () => plainMatMul(b, g, false, true), b: () => plainMatMul(a, g, false, false) };
    return { a: () => plainMatMul(b, g, true, true), b: () => plainMatMul(g, a, true, true) };
  },
};

export type MatMulGradient = 'explicit-transpose' | 'stock';

/** Installs one of the two BatchMatMul gradients for every backend. */
export function useMatMulGradient(which: MatMulGradient): void {
  tf.registerGradient(which === 'stock' ? stockBatchMatMulGradient : explicitTransposeBatchMatMulGradient);
}
