// The rover's level-1 models as plug-ins of a multi-level planner: `kinematic` (a hand-written unicycle over the
// range-ray map), `learned` (a network regressing the planar displacement, trained on the level-0 controller's own
// trajectories) and `latent` (a learned latent space: encoder, JEPA predictor, position readout). Presets name them
// (`middle: learned`); all take the same `level1` options.
import { defineLevelModel, ItineraError, parseWithSchema, type Channels, type LevelModelDefinition, type LevelModelOptions, type WaypointModel } from '@itinera/core';
import { z } from 'zod';
import { BASE_POSE_CHANNELS } from './base.js';
import { KinematicRoverModel, ROVER_LEVEL1 } from './kinematic-rover.js';
import { LEARNED_LEVEL1_DEFAULTS, LearnedRoverModel } from './learned-rover.js';
import { loadLatentLevel1File } from './latent-level1-file.js';
import { LatentRoverModel } from './latent-rover.js';
import { loadLevel1File } from './level1-file.js';

const roverLevel1Schema = z
  .object({ speed: z.number().positive(), turnRate: z.number().positive(), stepSeconds: z.number().positive(), radius: z.number().positive(), clearanceWeight: z.number().min(0) })
  .partial()
  .strict();
export type RoverLevel1Config = z.infer<typeof roverLevel1Schema>;

const common = { schema: roverLevel1Schema, defaults: {}, channels: BASE_POSE_CHANNELS };
const where = 'hierarchical level1';

export const kinematicRoverLevel = defineLevelModel<RoverLevel1Config>({
  ...common,
  name: 'kinematic',
  description: 'a wheeled base as a unicycle turning toward each waypoint, obstacles from the range-ray map',
  create: ({ config }, channels) => new KinematicRoverModel(channels, { ...ROVER_LEVEL1, ...parseWithSchema(roverLevel1Schema, config, where) }),
  describe: () => 'kinematic',
});

/** A level model read from a trained file; `defaultFile` is the shipped one, used when the run names none (`level1Model`). */
function trainedRoverLevel(
  name: string,
  description: string,
  trainedWith: string,
  build: (channels: Channels, path: string, options: typeof LEARNED_LEVEL1_DEFAULTS) => WaypointModel,
  defaultFile?: string,
): LevelModelDefinition<RoverLevel1Config> {
  const file = (options: LevelModelOptions<RoverLevel1Config>) => options.file ?? defaultFile;
  return defineLevelModel<RoverLevel1Config>({
    ...common,
    name,
    description,
    standIn: 'kinematic',
    create(options, channels) {
      const path = file(options);
      if (!path) throw new ItineraError(`hierarchical: middle: ${name} needs --opt level1Model=DIR/level1.json (from itinera train with a ${trainedWith} config)`);
      const { radius, clearanceWeight } = { ...ROVER_LEVEL1, ...parseWithSchema(roverLevel1Schema, options.config, where) };
      return build(channels, path, { ...LEARNED_LEVEL1_DEFAULTS, radius, clearanceWeight });
    },
    describe: (options) => `${name} (${file(options)})`,
  });
}

/** The learned planar model: a network regressing where the base ends up after a waypoint. */
export const learnedRoverLevel = (defaultFile?: string) =>
  trainedRoverLevel(
    'learned',
    'a network trained on what the level-0 controller did when following waypoints (itinera collect --level 1, itinera train)',
    'level-1',
    (channels, path, options) => new LearnedRoverModel(channels, loadLevel1File(path), options),
    defaultFile,
  );

/** The latent model: its representation is learned, and its surprise is measured there. */
export const latentRoverLevel = (defaultFile?: string) =>
  trainedRoverLevel(
    'latent',
    'a learned latent space: encoder, JEPA predictor of the latent after a waypoint, position readout (itinera train with a level1-latent config)',
    'level1-latent',
    (channels, path, options) => new LatentRoverModel(channels, loadLatentLevel1File(path), options),
    defaultFile,
  );

/** The rover level models, for a multi-level planner's plug-ins (default files: the shipped learned models). */
export function roverLevelModels(defaultLevel1File?: string, defaultLatentFile?: string): LevelModelDefinition<RoverLevel1Config>[] {
  return [kinematicRoverLevel, learnedRoverLevel(defaultLevel1File), latentRoverLevel(defaultLatentFile)];
}
