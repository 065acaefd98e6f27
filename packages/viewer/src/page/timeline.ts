// The timeline: subgoals, replans (folded when periodic), guardrails and the end, each a line that seeks there.
import type { ReplayEpisode } from '../replay-data.js';

export class Timeline {
  private readonly items: Array<{ element: HTMLLIElement; step: number }> = [];
  private current = -1;

  constructor(list: HTMLOListElement, episode: ReplayEpisode, seek: (step: number) => void) {
    list.replaceChildren();
    for (const entry of episode.timeline) {
      const element = document.createElement('li');
      element.className = entry.kind;
      const when = document.createElement('span');
      when.className = 'when';
      when.textContent = entry.endStep !== undefined ? `steps ${entry.step}–${entry.endStep}` : `step ${entry.step}`;
      element.append(when, ' ', entry.count ? `${entry.text} ×${entry.count}` : entry.text);
      element.title = `t = ${entry.t.toFixed(2)} s: click to go there`;
      element.addEventListener('click', () => seek(entry.step));
      list.append(element);
      this.items.push({ element, step: entry.step });
    }
    if (episode.timeline.length === 0) list.append(Object.assign(document.createElement('li'), { textContent: 'nothing recorded' }));
  }

  /** Greys out what has not happened yet and highlights the latest line that has. */
  show(step: number): void {
    let current = -1;
    this.items.forEach((item, i) => {
      const future = item.step > step;
      item.element.classList.toggle('future', future);
      if (!future) current = i;
    });
    this.items.forEach((item, i) => item.element.classList.toggle('current', i === current));
    // Long timelines follow the replay.
    if (current !== this.current && current >= 0) this.items[current].element.scrollIntoView({ block: 'nearest' });
    this.current = current;
  }
}
