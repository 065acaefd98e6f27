// The shipped world models name the data they were trained on (what --adapt replays and what a remake collects):
// each must be a data/ folder that the repository's own remake commands write, not a path from the machine that trained it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tracked = execFileSync('git', ['ls-files', 'models'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('/metrics.json'));
const remakes = [...readdirSync(join(ROOT, 'scripts')).filter((f) => f.endsWith('.sh')).map((f) => join('scripts', f)), 'README.md']
  .map((f) => readFileSync(join(ROOT, f), 'utf8'))
  .join('\n');
// Folders `--out data/…` writes; one with a shell expansion (`data/push-dagger$round`) stands for any name it begins.
const written = [...remakes.matchAll(/--out "?(data\/[^\s"]+)/g)].map(([, out]) => out);
const writes = (folder: string) => written.some((out) => (out.includes('$') ? folder.startsWith(out.slice(0, out.indexOf('$'))) : folder === out));

test('every shipped model names its training data as a data/ folder its remake command writes', () => {
  const named = tracked.flatMap((file) => {
    const data = (JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { data?: unknown }).data;
    return Array.isArray(data) ? data.map((d) => ({ file, d: String(d) })) : [];
  });
  assert.ok(named.length >= 4, `${named.length} named datasets: the reach and push models name theirs`);
  for (const { file, d } of named) {
    const inRepo = relative(ROOT, resolve(ROOT, dirname(file), d));
    assert.ok(!d.startsWith('/') && inRepo.startsWith(`data${sep}`) && !inRepo.includes('..'), `${file}: ${d} is not a folder under data/`);
    assert.ok(writes(inRepo.split(sep).join('/')), `${file}: nothing in scripts/ or the README writes ${inRepo}`);
  }
});
