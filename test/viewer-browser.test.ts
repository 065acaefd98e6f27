// End to end in a real browser: Debian's chromium (installed by .ci/run, never downloaded by a test tool), driven by
// playwright-core. A replay written by `itinera run --record --view` opens from disk with no network, scrubs, draws
// the robot where it was, and lists the timeline; a bench report's SVG plot renders. Screenshots land in
// $ITINERA_SCREENSHOTS (or a temporary folder, named in the test's diagnostics).
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { EpisodeEvent } from '@itinera/core';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'itinera.js');
const CHROMIUM = '/usr/bin/chromium';
/** The flags under which Debian's chromium renders three.js headless (docs: DEPENDENCIES.md, Viewer). */
const CHROMIUM_FLAGS = ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const NO_CHROMIUM = `Debian's chromium is not installed at ${CHROMIUM} (apt-get install -y chromium; .ci/run does it): the browser tests need it`;

const work = mkdtempSync(join(tmpdir(), 'itinera-browser-'));
const shots = process.env.ITINERA_SCREENSHOTS ?? join(work, 'screenshots');
mkdirSync(shots, { recursive: true });

function itinera(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, `itinera ${args.join(' ')}\n${r.stderr}`);
  return r;
}

/** Opens a page on Debian's chromium; every request, console error and page error is kept for the checks. */
async function openPage(t: TestContext, browser: Browser, url: string, viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage({ viewport });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  t.after(() => page.close());
  await page.goto(url);
  return { page, requests, errors };
}

/** `events` written as a recording NAME.jsonl, its replay page made by `itinera view`, opened once it is ready. */
async function replayPage(t: TestContext, browser: Browser, name: string, events: EpisodeEvent[]) {
  const recording = join(work, `${name}.jsonl`);
  writeFileSync(recording, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  itinera('view', recording, '--out', join(work, `${name}.html`));
  const opened = await openPage(t, browser, pathToFileURL(join(work, `${name}.html`)).href);
  await opened.page.waitForSelector('body[data-ready=true]');
  return opened;
}

/** One browser for the file's tests, launched by the first that needs it. */
let launched: Promise<Browser> | undefined;
after(async () => (await launched)?.close());

async function withBrowser(t: TestContext, body: (browser: Browser) => Promise<void>): Promise<void> {
  if (!existsSync(CHROMIUM)) return t.skip(NO_CHROMIUM);
  launched ??= chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  await body(await launched);
}

/** The canvas read back at low resolution as grey levels (the renderer keeps its drawing buffer for this). */
async function canvasGrey(page: Page, width = 128, height = 80): Promise<number[]> {
  return page.evaluate(
    ([w, h]) => {
      const small = Object.assign(document.createElement('canvas'), { width: w, height: h });
      const g = small.getContext('2d')!;
      g.drawImage(document.getElementById('scene3d') as HTMLCanvasElement, 0, 0, w, h);
      const rgba = g.getImageData(0, 0, w, h).data;
      return Array.from({ length: w * h }, (_, i) => 0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
    },
    [width, height],
  );
}

/** Pixels of the ghost path's cyan (blended over the floor) at full resolution. */
async function ghostPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.getElementById('scene3d') as HTMLCanvasElement;
    const copy = Object.assign(document.createElement('canvas'), { width: canvas.width, height: canvas.height });
    const g = copy.getContext('2d')!;
    g.drawImage(canvas, 0, 0);
    const d = g.getImageData(0, 0, copy.width, copy.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 1] > 150 && d[i + 1] - d[i] > 60 && d[i + 2] - d[i] > 60) n++;
    return n;
  });
}

const variance = (v: number[]) => {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  return v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length;
};

/** Moves the scrub slider as a person would: set its value, fire its input event. */
async function scrubTo(page: Page, index: number): Promise<void> {
  await page.locator('#scrub').evaluate((el, i) => {
    (el as HTMLInputElement).value = String(i);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, index);
}

test('browser: a recorded reach replay opens from disk, scrubs to the middle and end, draws the moving arm and lists the timeline', { timeout: 300_000 }, async (t) => {
  await withBrowser(t, async (browser) => {
    const recording = join(work, 'reach.jsonl');
    const run = itinera('run', '--sim', 'reach-v1', '--seed', '3', '--planner', 'mppi', '--opt', 'samples=16', '--opt', 'horizon=15', '--replan-every', '2', '--sim-opt', 'maxSteps=40', '--record', recording, '--view');
    const replay = join(work, 'reach.html');
    assert.match(run.stderr, /wrote .*reach\.html: 1 episode/);
    const events = readFileSync(recording, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as EpisodeEvent);
    const ticks = events.filter((e) => e.type === 'tick').length;

    const { page, requests, errors } = await openPage(t, browser, pathToFileURL(replay).href);
    await page.waitForSelector('body[data-ready=true]');
    const api = () => page.evaluate(() => ({ ...window.itineraReplay }));
    const { episodes, moments, index, has3d } = await api();
    assert.deepEqual({ episodes, moments, index, has3d }, { episodes: 1, moments: ticks + 1, index: 0, has3d: true });

    const start = await canvasGrey(page);
    assert.ok(variance(start) > 30, `the canvas at the start is not blank (grey variance ${variance(start).toFixed(1)})`);
    await page.screenshot({ path: join(shots, 'replay-start.png') });

    const middle = Math.floor(ticks / 2);
    await scrubTo(page, middle);
    assert.equal((await api()).index, middle);
    assert.match(await page.locator('#position').innerText(), new RegExp(`^step ${middle} / ${ticks} `));
    const mid = await canvasGrey(page);
    assert.ok(variance(mid) > 30, 'the canvas in the middle is not blank');
    assert.ok((await ghostPixels(page)) > 40, "the planner's predicted path is drawn at the middle");
    await page.screenshot({ path: join(shots, 'replay-middle.png') });

    await scrubTo(page, ticks);
    assert.equal((await api()).index, ticks);
    const end = await canvasGrey(page);
    assert.ok(variance(end) > 30, 'the canvas at the end is not blank');
    await page.screenshot({ path: join(shots, 'replay-end.png') });
    // The arm moved: a good share of the view changed between the first and the last moment.
    const changed = start.filter((v, i) => Math.abs(v - end[i]) > 12).length / start.length;
    assert.ok(changed > 0.01, `start and end differ in ${(changed * 100).toFixed(2)}% of the view`);

    // The timeline lists every recorded replan (periodic ones folded, with their count), subgoal and the end.
    const lines = await page.locator('#timeline li').allInnerTexts();
    const replans = events.filter((e): e is Extract<EpisodeEvent, { type: 'replan' }> => e.type === 'replan');
    for (const r of replans) assert.ok(lines.some((l) => l.includes(`replan: ${r.reason} (level ${r.level})`)), `${r.reason} replan listed`);
    const listed = lines.filter((l) => l.includes('replan:')).reduce((n, l) => n + Number(/×(\d+)$/.exec(l)?.[1] ?? 1), 0);
    assert.equal(listed, replans.length);
    for (const e of events) if (e.type.startsWith('subgoal-')) assert.ok(lines.some((l) => l.includes((e as { name: string }).name)));
    assert.match(lines.at(-1)!, /done: /);

    // Playback itself is timer-driven and not asserted here: headless animation frames stall under load.
    await page.locator('#play').click();
    await page.waitForTimeout(300);
    assert.deepEqual(errors, []);
    assert.deepEqual(new Set(requests), new Set([pathToFileURL(replay).href]), 'nothing but the file itself is loaded');
    t.diagnostic(`screenshots in ${shots}`);
  });
});

test('browser: subgoals and replans with their reasons appear in the timeline, even for a recording without a scene', { timeout: 120_000 }, async (t) => {
  await withBrowser(t, async (browser) => {
    // Hand-written: no planner records subgoals yet (the hierarchical planner will).
    const at = (step: number) => ({ t: step * 0.02, step });
    const events: EpisodeEvent[] = [
      { ...at(0), type: 'reset', scenario: 'commute-v1', robot: 'rover', planner: 'hierarchical', seed: 0 },
      { ...at(0), type: 'replan', level: 1, reason: 'start' },
      { ...at(0), type: 'subgoal-start', name: 'take-elevator', level: 1 },
      { ...at(1), type: 'tick', action: [0], cost: 1 },
      { ...at(1), type: 'subgoal-failed', name: 'take-elevator', level: 1, reason: 'out of service' },
      { ...at(1), type: 'replan', level: 1, reason: 'subgoal-failed' },
      { ...at(1), type: 'subgoal-start', name: 'take-ramp', level: 1 },
      { ...at(2), type: 'tick', action: [0], cost: 0.5 },
      { ...at(2), type: 'subgoal-done', name: 'take-ramp', level: 1 },
      { ...at(2), type: 'done', success: true, terminated: true, truncated: false },
    ];
    const { page, errors } = await replayPage(t, browser, 'subgoals', events);
    assert.deepEqual(await page.locator('#timeline li').allInnerTexts(), [
      'step 0 replan: start (level 1)',
      'step 0 take-elevator started (level 1)',
      'step 1 take-elevator failed: out of service (level 1)',
      'step 1 replan: subgoal-failed (level 1)',
      'step 1 take-ramp started (level 1)',
      'step 2 take-ramp done (level 1)',
      'step 2 done: success',
    ]);
    assert.match(await page.locator('#viewport .notice').innerText(), /no scene/);
    await page.locator('#timeline li', { hasText: 'failed: out of service' }).click();
    assert.equal(await page.evaluate(() => window.itineraReplay.index), 1, 'a timeline line seeks to its step');
    assert.deepEqual(errors, []);
  });
});

test("browser: each level's surprise is a curve of its own, with the replans it caused marked", { timeout: 120_000 }, async (t) => {
  await withBrowser(t, async (browser) => {
    const at = (step: number) => ({ t: step * 0.02, step });
    const steps = Array.from({ length: 40 }, (_, i) => i + 1);
    const events: EpisodeEvent[] = [
      { ...at(0), type: 'reset', scenario: 'commute-v1', robot: 'rover', planner: 'hierarchical', seed: 0 },
      { ...at(0), type: 'replan', level: 2, reason: 'start' },
      ...steps.flatMap((step): EpisodeEvent[] => [
        { ...at(step), type: 'tick', action: [0], cost: 1 },
        { ...at(step), type: 'surprise', levels: { 0: step === 30 ? 0.9 : 0.1, 1: step === 12 ? 1.5 : 0.2 } },
        ...(step === 12 ? [{ ...at(step), type: 'replan', level: 1, reason: 'surprise', surprise: 1.5 } as EpisodeEvent] : []),
        ...(step === 30 ? [{ ...at(step), type: 'replan', level: 0, reason: 'surprise', surprise: 0.9 } as EpisodeEvent] : []),
      ]),
      { ...at(40), type: 'done', success: true, terminated: true, truncated: false },
    ];
    const { page, errors } = await replayPage(t, browser, 'surprise', events);
    assert.ok(await page.locator('#timeline li', { hasText: 'replan: surprise 1.5 (level 1)' }).count());
    // Four panels (cost, guardrails, surprise L0, surprise L1) of equal height; each ▼ mark sits in its level's panel
    // at its step (the plot's margins: 70 px left, 24 right, 6 top, 18 bottom).
    const plot = await page.evaluate(() => {
      const canvas = document.getElementById('plot') as HTMLCanvasElement;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const orange: Array<[number, number]> = [];
      for (let i = 0; i < d.length; i += 4) if (d[i] > 230 && Math.abs(d[i + 1] - 140) < 30 && d[i + 2] < 60) orange.push([(i / 4) % canvas.width, Math.floor(i / 4 / canvas.width)]);
      return { width: canvas.width, height: canvas.getBoundingClientRect().height, orange };
    });
    await page.screenshot({ path: join(shots, 'surprise-plot.png') });
    assert.equal(plot.height, 300);
    const panel = (300 - 24) / 4;
    const marksAt = (step: number, p: number) => plot.orange.filter(([x, y]) => Math.abs(x - (70 + (step / 40) * (plot.width - 94))) <= 5 && y >= 6 + p * panel + 3 && y < 6 + (p + 1) * panel - 3).length;
    assert.ok(marksAt(30, 2) > 5 && marksAt(12, 3) > 5, `mark pixels: level 0 at step 30: ${marksAt(30, 2)}, level 1 at step 12: ${marksAt(12, 3)}`);
    assert.equal(marksAt(12, 2) + marksAt(30, 3), 0, 'no mark where that level did not replan');
    assert.deepEqual(errors, []);
  });
});

test("browser: online adaptation's surprise gets a panel, each update a tick whose tooltip names its gradient steps", { timeout: 120_000 }, async (t) => {
  await withBrowser(t, async (browser) => {
    const at = (step: number) => ({ t: step * 0.02, step });
    const steps = Array.from({ length: 40 }, (_, i) => i + 1);
    const events: EpisodeEvent[] = [
      { ...at(0), type: 'reset', scenario: 'reach-v1', robot: 'reacher', planner: 'reach-mppi-jepa', seed: 0 },
      ...steps.flatMap((step): EpisodeEvent[] => [
        { ...at(step), type: 'tick', action: [0], cost: 1 },
        { ...at(step), type: 'adaptation', surprise: 0.1 + 0.05 * Math.sin(step / 3), ...(step % 10 === 0 && step < 40 && { gradientSteps: 4 }) },
      ]),
      { ...at(40), type: 'done', success: false, failure: 'timeout', terminated: false, truncated: true },
      { ...at(40), type: 'adaptation', gradientSteps: 50, afterEpisode: true },
    ];
    const { page, errors } = await replayPage(t, browser, 'adaptation', events);
    // Three panels (cost, guardrails, adaptation): the update ticks (teal) stand in the third, at their steps.
    const plot = await page.evaluate(() => {
      const canvas = document.getElementById('plot') as HTMLCanvasElement;
      const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const [teal, magenta]: Array<Array<[number, number]>> = [[], []];
      for (let i = 0; i < d.length; i += 4) {
        const xy: [number, number] = [(i / 4) % canvas.width, Math.floor(i / 4 / canvas.width)];
        if (Math.abs(d[i] - 42) < 25 && Math.abs(d[i + 1] - 157) < 25 && Math.abs(d[i + 2] - 143) < 25) teal.push(xy);
        if (Math.abs(d[i] - 181) < 30 && d[i + 1] < 80 && Math.abs(d[i + 2] - 158) < 30) magenta.push(xy);
      }
      const { left, top, width } = canvas.getBoundingClientRect();
      return { left, top, width, height: canvas.getBoundingClientRect().height, teal, magenta };
    });
    await page.screenshot({ path: join(shots, 'adaptation-plot.png') });
    assert.equal(plot.height, 225);
    const panel = (225 - 24) / 3;
    const xOf = (step: number) => 70 + (step / 40) * (plot.width - 94);
    const inPanel = (y: number, p: number) => y >= 6 + p * panel && y < 6 + (p + 1) * panel;
    const ticksAt = (step: number) => plot.teal.filter(([x, y]) => Math.abs(x - xOf(step)) <= 1 && inPanel(y, 2)).length;
    for (const step of [10, 20, 30, 40]) assert.ok(ticksAt(step) > 20, `tick pixels at step ${step}: ${ticksAt(step)}`);
    assert.equal(ticksAt(5) + ticksAt(25), 0, 'no tick where no update was taken');
    assert.ok(plot.magenta.filter(([, y]) => inPanel(y, 2)).length > 50, 'the surprise curve is drawn in the adaptation panel');
    const titleAt = async (step: number) => {
      await page.mouse.move(plot.left + xOf(step), plot.top + 6 + 2.5 * panel);
      return page.evaluate(() => (document.getElementById('plot') as HTMLCanvasElement).title);
    };
    assert.equal(await titleAt(20), 'step 20: update, 4 gradient steps');
    assert.equal(await titleAt(40), 'after the episode: update, 50 gradient steps');
    assert.equal(await titleAt(25), '');
    assert.deepEqual(errors, []);
  });
});

test('browser: the bench report embeds its SVG plots, and they render', { timeout: 300_000 }, async (t) => {
  await withBrowser(t, async (browser) => {
    const out = join(work, 'bench');
    itinera('bench', '--suite', join(ROOT, 'configs', 'bench', 'smoke.yaml'), '--out', out);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    const images = [...report.matchAll(/!\[[^\]]+\]\(([^)]+\.svg)\)/g)].map((m) => m[1]);
    assert.deepEqual(images, ['success-rate.svg', 'plan-latency.svg'], 'the smoke suite sweeps no budget');
    for (const file of images) {
      const { page, errors } = await openPage(t, browser, pathToFileURL(join(out, file)).href, { width: 700, height: 380 });
      const box = await page.locator('svg').boundingBox();
      assert.ok(box && box.width > 150 && box.height > 150, `${file} has a size`);
      const shot = join(shots, `bench-${file.replace('.svg', '.png')}`);
      await page.screenshot({ path: shot });
      const inked = await page.evaluate(() => document.querySelectorAll('svg path, svg line, svg text').length);
      assert.ok(inked > 20, `${file} draws marks, axes and labels`);
      assert.deepEqual(errors, []);
    }
  });
});
