// A small plot of the step cost and its terms (top), the guardrail terms, each level's surprise with the replans it
// caused marked (▼), and with run --adapt the adaptation's surprise with its updates ticked (hover names their
// gradient steps) over the episode, with a cursor at the current moment; clicking or dragging on it seeks.
import type { ReplayEpisode } from '../replay-data.js';

const COLOURS = ['#1d3f8f', '#2e8b57', '#8e44ad', '#16a085', '#7f8c8d'];
const GUARDRAIL_COLOURS = ['#e67e22', '#c0392b', '#d35400', '#f1c40f', '#a0522d'];
const SURPRISE_COLOURS = ['#6a4c93', '#1982c4', '#8ac926', '#ff595e'];
const REPLAN_MARK = '#ff8c00';
const ADAPTATION_COLOUR = '#b5179e';
const UPDATE_TICK = '#2a9d8f';
const MARGIN = { left: 70, right: 24, top: 6, bottom: 18 };
/** Plot height per panel (px). */
const PANEL_HEIGHT = 75;

interface Series {
  name: string;
  values: Array<number | null>;
  colour: string;
}

interface Panel {
  title: string;
  series: Series[];
  /** Moments marked on the panel's first series: the replans it caused. */
  marks?: Array<{ index: number; value: number }>;
  /** Moments ticked across the panel, each with what hovering it says (the updates online adaptation took), and their legend. */
  ticks?: { name: string; at: Array<{ index: number; label: string }> };
}

export class CostPlot {
  private readonly panels: Panel[];
  private index = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly episode: ReplayEpisode,
    seekIndex: (index: number) => void,
  ) {
    const terms = Object.entries(episode.terms).map(([name, values], i) => ({ name, values, colour: COLOURS[(i + 1) % COLOURS.length] }));
    const guardrails = Object.entries(episode.guardrails)
      .filter(([, values]) => values.some((v) => v !== null && v > 0))
      .map(([name, values], i) => ({ name, values, colour: GUARDRAIL_COLOURS[i % GUARDRAIL_COLOURS.length] }));
    // One surprise panel per level: each level measures in its own space, so each gets its own scale.
    const surprise = Object.entries(episode.surprise ?? {}).map(([level, values], i): Panel => ({
      title: `surprise L${level}`,
      series: [{ name: `level ${level}`, values, colour: SURPRISE_COLOURS[i % SURPRISE_COLOURS.length] }],
      marks: (episode.surpriseReplans ?? []).filter((r) => String(r.level) === level),
    }));
    this.panels = [
      { title: 'cost', series: [{ name: 'total', values: episode.cost, colour: COLOURS[0] }, ...terms] },
      { title: 'guardrails', series: guardrails },
      ...surprise,
      ...(episode.adaptation ? [adaptationPanel(episode)] : []),
    ];
    canvas.style.height = `${PANEL_HEIGHT * this.panels.length}px`;
    const seekAt = (event: PointerEvent) => {
      const { left, width } = canvas.getBoundingClientRect();
      const fraction = (event.clientX - left - MARGIN.left) / (width - MARGIN.left - MARGIN.right);
      seekIndex(Math.round(Math.min(1, Math.max(0, fraction)) * (episode.steps.length - 1)));
    };
    canvas.addEventListener('pointerdown', (event) => {
      seekAt(event);
      const move = (e: PointerEvent) => seekAt(e);
      canvas.addEventListener('pointermove', move);
      window.addEventListener('pointerup', () => canvas.removeEventListener('pointermove', move), { once: true });
    });
    // Hovering a tick names its update in the canvas's tooltip.
    canvas.addEventListener('pointermove', (event) => {
      const { left, top, width, height } = canvas.getBoundingClientRect();
      const panel = this.panels[Math.floor(((event.clientY - top - MARGIN.top) / (height - MARGIN.top - MARGIN.bottom)) * this.panels.length)];
      const near = panel?.ticks?.at.filter((tick) => Math.abs(this.x(tick.index, width) - (event.clientX - left)) <= 4);
      canvas.title = near?.map((tick) => tick.label).join('\n') ?? '';
    });
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  /** Where moment `index` sits across a plot `w` pixels wide. */
  private x(index: number, w: number): number {
    return MARGIN.left + (index / Math.max(1, this.episode.steps.length - 1)) * (w - MARGIN.left - MARGIN.right);
  }

  show(index: number): void {
    this.index = index;
    this.draw();
  }

  private draw(): void {
    const ratio = window.devicePixelRatio || 1;
    const { clientWidth: w, clientHeight: h } = this.canvas;
    if (w === 0 || h === 0) return;
    this.canvas.width = w * ratio;
    this.canvas.height = h * ratio;
    const g = this.canvas.getContext('2d')!;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, w, h);
    g.font = '11px system-ui, sans-serif';
    const n = this.episode.steps.length;
    const x = (i: number) => this.x(i, w);
    const panelHeight = (h - MARGIN.top - MARGIN.bottom) / this.panels.length;
    this.panels.forEach((panel, p) => {
      const top = MARGIN.top + p * panelHeight;
      const bottom = top + panelHeight - 8;
      const max = Math.max(1e-12, ...panel.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v))));
      const y = (v: number) => bottom - (v / max) * (bottom - top - 4);
      g.strokeStyle = '#ccd';
      g.beginPath();
      g.moveTo(MARGIN.left, bottom + 0.5);
      g.lineTo(w - MARGIN.right, bottom + 0.5);
      g.stroke();
      g.fillStyle = '#667';
      g.textAlign = 'right';
      g.fillText(panel.title, MARGIN.left - 6, top + 10);
      g.fillText(max.toPrecision(2), MARGIN.left - 6, top + 22);
      for (const series of panel.series) {
        g.strokeStyle = series.colour;
        g.lineWidth = series.name === 'total' ? 1.6 : 1;
        g.beginPath();
        let drawing = false;
        series.values.forEach((v, i) => {
          if (v === null || !Number.isFinite(v)) return void (drawing = false);
          if (drawing) g.lineTo(x(i), y(v));
          else g.moveTo(x(i), y(v));
          drawing = true;
        });
        g.stroke();
      }
      g.strokeStyle = UPDATE_TICK;
      g.lineWidth = 1;
      for (const tick of panel.ticks?.at ?? []) {
        g.beginPath();
        g.moveTo(Math.round(x(tick.index)) + 0.5, top + 14);
        g.lineTo(Math.round(x(tick.index)) + 0.5, bottom);
        g.stroke();
      }
      g.fillStyle = REPLAN_MARK;
      for (const mark of panel.marks ?? []) {
        const [mx, my] = [x(mark.index), Math.max(top + 12, y(mark.value) - 3)];
        g.beginPath();
        g.moveTo(mx - 4, my - 6);
        g.lineTo(mx + 4, my - 6);
        g.lineTo(mx, my);
        g.fill();
      }
      // Legend, left to right along the panel's top.
      g.textAlign = 'left';
      let lx = MARGIN.left + 6;
      const legend = [
        ...panel.series,
        ...(panel.marks ? [{ name: `▼ replans it caused (${panel.marks.length})`, colour: REPLAN_MARK }] : []),
        ...(panel.ticks ? [{ name: panel.ticks.name, colour: UPDATE_TICK }] : []),
      ];
      for (const series of legend.length > 0 ? legend : [{ name: 'none above zero', colour: '#99a' }]) {
        g.fillStyle = series.colour;
        g.fillRect(lx, top + 5, 10, 3);
        g.fillText(series.name, lx + 14, top + 10);
        lx += g.measureText(series.name).width + 28;
      }
    });
    g.fillStyle = '#667';
    g.textAlign = 'center';
    for (const i of new Set([0, Math.floor((n - 1) / 2), n - 1])) g.fillText(`step ${this.episode.steps[i]}`, x(i), h - 5);
    g.strokeStyle = '#d62828';
    g.lineWidth = 1.5;
    g.beginPath();
    g.moveTo(x(this.index), MARGIN.top);
    g.lineTo(x(this.index), h - MARGIN.bottom);
    g.stroke();
  }
}

/** The adaptation's surprise before each step's update, with a tick at every update naming its gradient steps. */
function adaptationPanel(episode: ReplayEpisode): Panel {
  const { surprise, updates } = episode.adaptation!;
  return {
    title: 'adaptation',
    series: [{ name: 'surprise L0 (before update)', values: surprise, colour: ADAPTATION_COLOUR }],
    ticks: {
      name: `| updates (${updates.length}, ${updates.reduce((sum, u) => sum + u.gradientSteps, 0)} gradient steps)`,
      at: updates.map(({ index, gradientSteps, afterEpisode }) => ({
        index,
        label: `${afterEpisode ? 'after the episode' : `step ${episode.steps[index]}`}: update, ${gradientSteps} gradient steps`,
      })),
    },
  };
}
