// The replay page's entry: reads the inlined data and wires the 3D view, the timeline, the plot and the controls.
import { DATA_ELEMENT_ID, type ReplayData, type ReplayEpisode } from '../replay-data.js';
import { CostPlot } from './cost-plot.js';
import { Player } from './player.js';
import { GHOST_COLOUR, MARKER_COLOUR, ReplayScene, TRAIL_COLOUR } from './scene-3d.js';
import { Timeline } from './timeline.js';

/** What the page offers scripts (and browser tests): the same actions as the controls. */
export interface ReplayApi {
  episodes: number;
  episode: number;
  moments: number;
  index: number;
  /** Whether the 3D view is drawn (a scene was recorded and WebGL works). */
  has3d: boolean;
  seek(index: number): void;
  play(): void;
  pause(): void;
  selectEpisode(index: number): void;
}

declare global {
  interface Window {
    itineraReplay: ReplayApi;
  }
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const data = JSON.parse($(DATA_ELEMENT_ID).textContent ?? '{}') as ReplayData;
let current: { player: Player; scene?: ReplayScene } | undefined;

function showEpisode(number: number): void {
  const episode = data.episodes[number];
  current?.player.pause();
  current?.scene?.dispose();
  $('title').textContent = `${episode.scenario} · ${episode.robot} · ${episode.planner} · seed ${episode.seed}`;
  const outcome = $('outcome');
  outcome.textContent = episode.outcome ? `${episode.outcome.text} at step ${episode.outcome.step}` : 'unfinished recording';
  outcome.className = `outcome ${episode.outcome ? (episode.outcome.success ? 'success' : 'failure') : 'unfinished'}`;

  const scene = make3d(episode);
  const moments = episode.steps.length;
  const scrub = $<HTMLInputElement>('scrub');
  scrub.max = String(moments - 1);
  const timeline = new Timeline($<HTMLOListElement>('timeline'), episode, (step) => player.seek(episode.steps.indexOf(step)));
  // A fresh plot canvas per episode, so no listener of the previous one survives.
  const plotCanvas = $<HTMLCanvasElement>('plot').cloneNode() as HTMLCanvasElement;
  $('plot').replaceWith(plotCanvas);
  const plot = new CostPlot(plotCanvas, episode, (index) => player.seek(index));
  const dt = episode.scene?.controlDt ?? (moments > 1 ? (episode.times[moments - 1] - episode.times[0]) / (moments - 1) : 0.02);
  const player = new Player(
    moments,
    dt,
    (index) => {
      scene?.show(index);
      timeline.show(episode.steps[index]);
      plot.show(index);
      scrub.value = String(index);
      $('position').textContent = `step ${episode.steps[index]} / ${episode.steps[moments - 1]} · t ${episode.times[index].toFixed(2)} s`;
      window.itineraReplay.index = index;
    },
    (playing) => ($('play').textContent = playing ? '❚❚ Pause' : '▶ Play'),
  );
  player.speed = Number($<HTMLSelectElement>('speed').value);
  current = { player, scene };
  window.itineraReplay = { ...window.itineraReplay, episode: number, moments, index: 0, has3d: scene !== undefined };
  player.seek(0);
}

/** The 3D view, or a notice saying why there is none. */
function make3d(episode: ReplayEpisode): ReplayScene | undefined {
  const viewport = $('viewport');
  viewport.querySelector('.notice')?.remove();
  const canvas = document.createElement('canvas');
  canvas.id = 'scene3d';
  $('scene3d').replaceWith(canvas);
  const notice = (text: string) => viewport.append(Object.assign(document.createElement('div'), { className: 'notice', textContent: text }));
  if (!episode.scene || episode.frames.length === 0) {
    notice('This recording has no scene (recorded without viewer data): the timeline and the cost plot still replay it.');
    return undefined;
  }
  try {
    const scene = new ReplayScene(canvas, { ...episode, scene: episode.scene });
    const hasGhost = episode.plans.some((p) => p.predicted?.length);
    $('legend3d').innerHTML =
      `<span style="background:${TRAIL_COLOUR}"></span>path so far` +
      (hasGhost ? `<span style="background:${GHOST_COLOUR}"></span>planner's predicted path` : '') +
      `<span style="background:${MARKER_COLOUR}"></span>target`;
    return scene;
  } catch (error) {
    notice(`No 3D view: ${(error as Error).message}. The timeline and the cost plot still replay the episode.`);
    return undefined;
  }
}

window.itineraReplay = {
  episodes: data.episodes.length,
  episode: 0,
  moments: 0,
  index: 0,
  has3d: false,
  seek: (index) => current?.player.seek(index),
  play: () => current?.player.play(),
  pause: () => current?.player.pause(),
  selectEpisode: (index) => showEpisode(index),
};

$('play').addEventListener('click', () => current?.player.toggle());
$<HTMLInputElement>('scrub').addEventListener('input', (event) => current?.player.seek(Number((event.target as HTMLInputElement).value)));
$<HTMLSelectElement>('speed').addEventListener('change', (event) => current && (current.player.speed = Number((event.target as HTMLSelectElement).value)));
document.addEventListener('keydown', (event) => {
  if (!current || (event.target as HTMLElement).tagName === 'SELECT') return;
  if (event.key === ' ') current.player.toggle();
  else if (event.key === 'ArrowRight') current.player.seek(current.player.index + 1);
  else if (event.key === 'ArrowLeft') current.player.seek(current.player.index - 1);
  else return;
  event.preventDefault();
});

const select = $<HTMLSelectElement>('episode');
if (data.episodes.length > 1) {
  select.hidden = false;
  data.episodes.forEach((e, i) => select.append(new Option(`episode ${i + 1}: seed ${e.seed}${e.outcome ? `, ${e.outcome.success ? 'success' : 'failed'}` : ''}`, String(i))));
  select.addEventListener('change', () => showEpisode(Number(select.value)));
}
if (data.episodes.length > 0) showEpisode(0);
document.body.dataset.ready = 'true';
