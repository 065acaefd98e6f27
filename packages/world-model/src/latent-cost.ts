// A scenario's cost on decoded quantities. The model config restates the task's terms over observation channels
// the readout heads decode (in metres, rad/s) or over the action, with the same norms as core's sumCost.
import * as tf from '@tensorflow/tfjs';
import { ItineraError } from '@itinera/core';
import { resolveChannels, type LatentCostTerm } from './config.js';

interface ResolvedTerm {
  term: LatentCostTerm;
  /** Picks the term's readout columns by a matMul (gather's gradient has no wasm kernel); absent for action terms. */
  select?: tf.Tensor2D;
  offset?: tf.Tensor1D;
}

export class LatentCost {
  private readonly resolved: ResolvedTerm[];

  constructor(terms: readonly LatentCostTerm[], readouts: readonly string[], observationNames: readonly string[]) {
    this.resolved = terms.map((term) => {
      if (term.action) return { term };
      const columnsOf = (patterns: string[]) =>
        resolveChannels(patterns, observationNames, `cost term '${term.name}'`).map((c) => {
          const i = readouts.indexOf(c);
          if (i < 0) throw new ItineraError(`cost term '${term.name}' uses '${c}', which no readout head decodes (readouts: ${readouts.join(', ')})`);
          return i;
        });
      const columns = columnsOf(term.channels!);
      const minus = term.minus ? columnsOf(term.minus) : [];
      if (term.minus && minus.length !== columns.length) throw new ItineraError(`cost term '${term.name}': minus names ${minus.length} channels for ${columns.length}`);
      if (term.offset && term.offset.length !== columns.length) throw new ItineraError(`cost term '${term.name}': offset has ${term.offset.length} values for ${columns.length} channels`);
      // residual = readouts · select: +1 for each channel, −1 for the channel it is measured from.
      const select = tf.buffer([readouts.length, columns.length], 'float32');
      columns.forEach((c, j) => select.set(1, c, j));
      minus.forEach((c, j) => select.set(select.get(c, j) - 1, c, j));
      return { term, select: select.toTensor() as tf.Tensor2D, offset: term.offset ? tf.tensor1d(term.offset) : undefined };
    });
  }

  /** Cost of each row: decoded readouts [n, R] in their units, normalised actions [n, A] (fractions of the limits). */
  apply(readouts: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor1D {
    const parts = this.resolved.map(({ term, select, offset }) => {
      let r: tf.Tensor2D = select ? tf.matMul(readouts, select) : actions;
      if (offset) r = tf.sub(r, offset);
      const sq = tf.sum(tf.square(r), 1);
      const value = term.norm === 'quadratic' ? tf.mul(sq, 0.5) : term.norm === 'smooth-l2' ? tf.sub(tf.sqrt(tf.add(sq, (term.p ?? 0.1) ** 2)), term.p ?? 0.1) : tf.sum(tf.abs(r), 1);
      return tf.mul(value, term.weight);
    });
    return (parts.length === 1 ? parts[0] : tf.addN(parts)) as tf.Tensor1D;
  }

  dispose(): void {
    for (const r of this.resolved) {
      r.offset?.dispose();
      r.select?.dispose();
    }
  }
}
