// The replay page: one HTML file with its styles, its data and its bundled code inlined, so it opens from disk.
import { DATA_ELEMENT_ID, type ReplayData } from './replay-data.js';

/** No request leaves the page: everything it needs is inline. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:";

const STYLE = `
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font: 13px/1.4 system-ui, sans-serif; color: #1d2330; background: #f4f5f7; }
#app { display: grid; height: 100%; grid-template-columns: 1fr 330px; grid-template-rows: auto 1fr auto auto; }
header { grid-column: 1 / 3; display: flex; gap: 12px; align-items: center; padding: 8px 12px; background: #1d2330; color: #fff; }
header h1 { font-size: 15px; margin: 0; font-weight: 600; }
header .outcome { padding: 2px 8px; border-radius: 10px; font-weight: 600; }
.outcome.success { background: #2e8b57; } .outcome.failure { background: #c0392b; } .outcome.unfinished { background: #777; }
header select { margin-left: auto; }
#viewport { position: relative; min-height: 200px; background: #dfe4ea; }
#viewport canvas { display: block; width: 100%; height: 100%; }
#viewport .notice { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; color: #555; padding: 20px; text-align: center; }
#legend3d { position: absolute; left: 8px; bottom: 8px; background: rgba(255,255,255,.8); padding: 4px 8px; border-radius: 4px; font-size: 12px; }
#legend3d span { display: inline-block; width: 18px; height: 4px; margin: 0 4px 2px 8px; vertical-align: middle; }
aside { grid-row: 2 / 5; grid-column: 2; border-left: 1px solid #ccd; background: #fff; overflow: auto; }
aside h2 { font-size: 13px; margin: 0; padding: 8px 10px; border-bottom: 1px solid #dde; position: sticky; top: 0; background: #fff; }
#timeline { list-style: none; margin: 0; padding: 0; }
#timeline li { padding: 4px 10px 4px 14px; border-bottom: 1px solid #eef; cursor: pointer; border-left: 4px solid transparent; }
#timeline li .when { color: #778; font-variant-numeric: tabular-nums; margin-right: 6px; }
#timeline li.future { opacity: .45; }
#timeline li.current { background: #eef4ff; }
#timeline li.replan { border-left-color: #5b8def; } #timeline li.guardrail { border-left-color: #e67e22; }
#timeline li.subgoal-start, #timeline li.subgoal-done { border-left-color: #2e8b57; } #timeline li.subgoal-failed { border-left-color: #c0392b; }
#timeline li.done { border-left-color: #1d2330; font-weight: 600; }
#controls { display: flex; gap: 10px; align-items: center; padding: 6px 12px; background: #fff; border-top: 1px solid #ccd; }
#controls input[type=range] { flex: 1; }
#controls button { width: 72px; }
#position { font-variant-numeric: tabular-nums; min-width: 190px; }
#plot { display: block; width: 100%; height: 150px; background: #fff; border-top: 1px solid #eef; cursor: crosshair; }
`;

const BODY = `
<div id="app">
  <header><h1 id="title"></h1><span id="outcome" class="outcome"></span><select id="episode" hidden></select></header>
  <div id="viewport"><canvas id="scene3d"></canvas><div id="legend3d"></div></div>
  <aside><h2>Timeline: subgoals, replans, guardrails</h2><ol id="timeline"></ol></aside>
  <div id="controls">
    <button id="play" type="button">▶ Play</button>
    <input id="scrub" type="range" min="0" max="0" step="1" value="0" aria-label="scrub through the episode">
    <span id="position"></span>
    <label>speed <select id="speed"><option>0.25</option><option>0.5</option><option selected>1</option><option>2</option><option>4</option></select></label>
  </div>
  <canvas id="plot"></canvas>
</div>`;

/** JSON that cannot close the script element it sits in. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function replayHtml(data: ReplayData, bundle: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Itinera replay · ${data.source}`)}</title>
<style>${STYLE}</style>
</head>
<body>${BODY}
<script id="${DATA_ELEMENT_ID}" type="application/json">${inlineJson(data)}</script>
<script>${bundle.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}
