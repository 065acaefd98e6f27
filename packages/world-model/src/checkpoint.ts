// The whole training state on disk (weights, Adam moments and steps, the plug-in's training state, the history),
// written atomically: a pointer file names one state file, so a killed run resumes to the same weights as an
// unbroken one.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ItineraError } from '@itinera/core';
import type { Adam } from './adam.js';
import { writeAtomically } from './dataset.js';
import type { WorldModel } from './world-model.js';

export interface HistoryEntry {
  step: number;
  train: Record<string, number>;
  validation?: Record<string, number>;
}

interface CheckpointFile {
  step: number;
  file: string;
  key: string;
  adamSteps: number[];
  history: HistoryEntry[];
}

/** Where a run resumes: the steps already done and their history. */
export interface Resumed {
  step: number;
  history: HistoryEntry[];
}

export class Checkpoint {
  private readonly pointer: string;

  /** `key`: everything a resumed run must share with the run it continues; `variables` in a stable order. */
  constructor(private readonly out: string, private readonly key: string, private readonly variables: tf.Variable[], private readonly adam: Adam) {
    this.pointer = Checkpoint.pointerIn(out);
  }

  static pointerIn(out: string): string {
    return join(out, 'checkpoint.json');
  }

  /** Loads the last checkpoint into the variables and Adam; undefined when there is none. */
  restore(): Resumed | undefined {
    if (!existsSync(this.pointer)) return undefined;
    const checkpoint = JSON.parse(readFileSync(this.pointer, 'utf8')) as CheckpointFile;
    if (checkpoint.key !== this.key) throw new ItineraError(`${this.out}: the checkpoint was made with another config or dataset; train into a new --out`);
    const bytes = readFileSync(join(this.out, checkpoint.file));
    const flat = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    let o = 0;
    tf.tidy(() => {
      for (const v of this.variables) {
        v.assign(tf.tensor(flat.subarray(o, o + v.size), v.shape));
        o += v.size;
      }
    });
    checkpoint.adamSteps.forEach((s, i) => (this.adam.steps[i] = s));
    return { step: checkpoint.step, history: checkpoint.history };
  }

  /** Writes the state file, the model (usable at once) and then the pointer; older state files are deleted. */
  save(step: number, history: HistoryEntry[], model: WorldModel, backend: string): void {
    const flat = new Float32Array(this.variables.reduce((n, v) => n + v.size, 0));
    let o = 0;
    for (const v of this.variables) {
      flat.set(v.dataSync() as Float32Array, o);
      o += v.size;
    }
    const file = `checkpoint-${String(step).padStart(8, '0')}.bin`;
    writeAtomically(join(this.out, file), new Uint8Array(flat.buffer));
    model.save(this.out, step, backend);
    const checkpoint: CheckpointFile = { step, file, key: this.key, adamSteps: [...this.adam.steps], history };
    writeAtomically(this.pointer, JSON.stringify(checkpoint) + '\n');
    // Older state files are garbage once the pointer moved.
    for (const f of readdirSync(this.out)) if (/^checkpoint-\d+\.bin$/.test(f) && f !== file) rmSync(join(this.out, f), { force: true });
  }
}
