// One episode of online adaptation (run --adapt) as the recording sees it: each transition's surprise and every
// update it took become 'adaptation' events beside the episode's own, so a replay can plot and mark them.
import type { EpisodeEvent, EpisodeSummary } from '@itinera/core';
import { roundSurprise, type Tick } from '@itinera/runtime';
import type { AdaptationReport, OnlineAdaptation } from '@itinera/world-model';

export interface AdaptingEpisode {
  /** Feeds the adaptation one control step (EpisodeOptions.onTransition) and emits its event. */
  onTransition(previous: Tick, tick: Tick): void;
  /** The planner's exploration factor for the next plan (EpisodeOptions.exploration). */
  exploration(): number;
  /** Ends the episode with its own update, emitted at its last step after the done event; what adaptation did in it. */
  end(summary: EpisodeSummary): AdaptationReport;
}

/** Starts an episode of `adaptation`, emitting its events to `emit` (the episode's onEvent). */
export function adaptingEpisode(adaptation: OnlineAdaptation, emit: (event: EpisodeEvent) => void): AdaptingEpisode {
  adaptation.startEpisode();
  let duringEpisode = 0;
  return {
    onTransition(previous, tick) {
      const { surprise, gradientSteps } = adaptation.transition(previous.observation, tick.action!, tick.observation);
      duringEpisode += gradientSteps;
      emit({ type: 'adaptation', t: tick.time, step: tick.step, surprise: roundSurprise(surprise), ...(gradientSteps > 0 && { gradientSteps }) });
    },
    exploration: () => adaptation.exploration(),
    end(summary) {
      const report = adaptation.endEpisode();
      // The report counts the episode's steps with the final update's: the difference is that update.
      const afterEpisode = report.steps - duringEpisode;
      if (afterEpisode > 0) emit({ type: 'adaptation', t: summary.simTime, step: summary.steps, gradientSteps: afterEpisode, afterEpisode: true });
      return report;
    },
  };
}
