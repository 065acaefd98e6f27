// `itinera eval-model`: how well a trained world model predicts, against naive baselines, and whether it collapsed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateModel, initBackend, type BackendRequest, type ModelEvaluation } from '@itinera/world-model';

export interface EvalModelArgs {
  model: string;
  data: string;
  backend: BackendRequest;
  /** Where the JSON goes (default: MODEL/eval.json). */
  out?: string;
}

export async function evalModelCommand(args: EvalModelArgs): Promise<ModelEvaluation> {
  const backend = await initBackend(args.backend);
  const evaluation = evaluateModel(args.model, args.data, backend.description);
  writeFileSync(args.out ?? join(args.model, 'eval.json'), JSON.stringify(evaluation, null, 1) + '\n');
  return evaluation;
}
