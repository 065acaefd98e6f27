// Every bad input ends within a minute with one line per problem (capped), naming the file or option and what is
// wrong, exit code 1 and no stack trace; the CLI runs with a 1 GB heap, so an input that would grow past it fails.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_PROBLEM_LINES } from '@itinera/core';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'itinera.js');
const REACHER = readFileSync(join(ROOT, 'configs', 'robots', 'reacher.yaml'), 'utf8');
const SMOKE = readFileSync(join(ROOT, 'configs', 'bench', 'smoke.yaml'), 'utf8');
const LIMIT_MS = 60_000;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function itinera(args: string[], cwd = ROOT): Promise<Result> {
  return new Promise((done) => {
    const start = Date.now();
    const child = spawn(process.execPath, ['--max-old-space-size=1024', BIN, ...args], { cwd, timeout: LIMIT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr, ms: Date.now() - start }));
  });
}

/** Exit 1 within the limit, every stderr line an `itinera:` line matching `pattern`, at most `lines` of them. */
async function refuses(args: string[], pattern: RegExp, lines = 1, cwd?: string): Promise<string> {
  const r = await itinera(args, cwd);
  const what = `itinera ${args.join(' ')}`;
  assert.ok(r.ms < LIMIT_MS, `${what} took ${r.ms} ms`);
  assert.equal(r.code, 1, `${what} exited ${r.code}: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, `${what}: stack trace`);
  const got = r.stderr.trimEnd().split('\n');
  assert.ok(got.length <= lines, `${what}: ${got.length} lines:\n${r.stderr}`);
  for (const line of got) assert.match(line, /^itinera: /);
  assert.match(r.stderr, pattern);
  return r.stderr;
}

const dir = mkdtempSync(join(tmpdir(), 'itinera-bad-'));
const write = (name: string, text: string | Buffer) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const aFile = write('a-file', 'not a directory\n');
const aDir = join(dir, 'a-dir');
mkdirSync(aDir);
const smokeSuite = (edit: (text: string) => string) => write(`suite-${Math.random().toString(36).slice(2)}.yaml`, edit(SMOKE));

/** Each anchor is ten aliases of the one before: 10^12 nodes written in a dozen lines. */
function billionLaughs(): string {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

describe('file-system errors name the path', { concurrency: 2 }, () => {
  test('run --record into a directory', () => refuses(['run', '--sim', 'reach-v1', '--planner', 'zero', '--record', aDir], /a-dir: cannot open the recording for writing: is a directory/));
  test('run --record under a file', () => refuses(['run', '--sim', 'reach-v1', '--planner', 'zero', '--record', join(aFile, 'a.jsonl')], /recording .*a-file\/a\.jsonl: .*a-file is a file, not a directory/));
  test('bench --out an existing file', () => refuses(['bench', '--suite', 'configs/bench/smoke.yaml', '--out', aFile], /--out .*a-file: .*a-file is a file, not a directory/));
  test('bench --out on a file system that takes no new entries (/proc) ends instead of hanging', { skip: !existsSync('/proc/self') }, () =>
    refuses(['bench', '--suite', 'configs/bench/smoke.yaml', '--out', '/proc/itinera-x'], /--out \/proc\/itinera-x: cannot create directory \/proc\/itinera-x: \/proc does not take new entries/));
  test('a robot file or suite file that is a directory or a device', async () => {
    mkdirSync(join(dir, 'folder.yaml'));
    await refuses(['check-robot', join(dir, 'folder.yaml')], /folder\.yaml: cannot read robot file: is a directory/);
    await refuses(['bench', '--suite', join(dir, 'folder.yaml'), '--out', join(dir, 'o')], /folder\.yaml: cannot read suite file: is a directory/);
    if (existsSync('/dev/zero')) {
      symlinkSync('/dev/zero', join(dir, 'endless.yaml'));
      await refuses(['check-robot', join(dir, 'endless.yaml')], /endless\.yaml: cannot read robot file: not a regular file/);
    }
  });
});

test('--record and view --out make missing directories, as bench --out does; view --out a directory is one line', async () => {
  const recording = join(dir, 'new', 'deeper', 'a.jsonl');
  const run = await itinera(['run', '--sim', 'reach-v1', '--planner', 'zero', '--sim-opt', 'maxSteps=3', '--record', recording]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(existsSync(recording));
  const page = join(dir, 'pages', 'r.html');
  const view = await itinera(['view', recording, '--out', page]);
  assert.equal(view.code, 0, view.stderr);
  assert.ok(existsSync(page));
  await refuses(['view', recording, '--out', aDir], /a-dir: cannot write the replay page: is a directory/);
});

describe('files that would exhaust memory or time are refused', { concurrency: 2 }, () => {
  test('a robot file abusing YAML anchors and aliases', () => refuses(['check-robot', write('laughs.yaml', billionLaughs() + 'name: *a11\n')], /laughs\.yaml: YAML anchors and aliases expand to more than 100 aliased nodes/));
  test('a suite abusing YAML anchors and aliases', () =>
    refuses(['bench', '--suite', smokeSuite((s) => billionLaughs() + s.replace('name: smoke', 'name: smoke\ndescription: *a11')), '--out', join(dir, 'o')], /suite-\w+\.yaml: YAML anchors and aliases expand/));
  test('a URDF declaring an external entity', () =>
    refuses(['check-robot', write('entity.urdf', '<?xml version="1.0"?>\n<!DOCTYPE robot [ <!ENTITY ext SYSTEM "file:///etc/passwd"> ]>\n<robot name="r"><link name="a"/></robot>\n')], /entity\.urdf: line 2: <!ENTITY> declarations are refused/));
  test('an empty URDF', () => refuses(['check-robot', write('empty.urdf', '')], /empty\.urdf: the file is empty; a URDF file holds one <robot> element/));
  test('a robot file over the size limit', () => refuses(['check-robot', write('big.yaml', `# ${'x'.repeat(2 * 1024 * 1024)}\n`)], /big\.yaml: robot file is 2\.0 MiB; the limit is 1\.0 MiB/));
  test('a suite of a billion seeds says what it would take', () =>
    refuses(['bench', '--suite', smokeSuite((s) => s.replace('seeds: 2', 'seeds: 1000000000')), '--out', join(dir, 'o')], /seeds: 1,000,000,000 seeds × 1 scenarios × 1 robots × 2 planners make 2,000,000,000 episodes.*the limit is 100,000/));
  test('a suite with a negative seed count or a seed beyond 32 bits', async () => {
    await refuses(['bench', '--suite', smokeSuite((s) => s.replace('seeds: 2', 'seeds: -5')), '--out', join(dir, 'o')], /suite-\w+\.yaml: seeds: Too small: expected number to be >0/);
    await refuses(['bench', '--suite', smokeSuite((s) => s.replace('seeds: 2', 'seeds: [1, 4294967296]')), '--out', join(dir, 'o')], /seeds are 32-bit/);
  });
  test('--opt budget that would allocate terabytes', () => refuses(['run', '--sim', 'reach-v1', '--planner', 'mppi', '--opt', 'budget=1e12'], /--opt \(mppi\): budget: budget 1,000,000,000,000 gives 40,000,000,000 samples × horizon 25 .* the limit is 4,000,000/));
  test('--opt budget that passes the samples bound', () => refuses(['run', '--sim', 'reach-v1', '--planner', 'cem', '--opt', 'budget=100000000'], /budget 100,000,000 gives 1,333,333 samples × horizon 25 = 33,333,325 rollout steps/));
  test('--opt samples × horizon beyond the rollout bound', () => refuses(['run', '--sim', 'reach-v1', '--planner', 'predictive-sampling', '--opt', 'samples=100000', '--opt', 'horizon=1000'], /samples: 100,000 samples × horizon 1000 = 100,000,000 rollout steps per iteration/));
  test('check-robot --simulate on a 150-link chain states its limit instead of running for minutes', () => {
    const links = Array.from({ length: 150 }, (_, i) => `  - { name: l${i}, mass: 0.1, inertia: { ixx: 0.001, iyy: 0.001, izz: 0.001 } }`);
    const joints = links.slice(1).map((_, i) => `  - { name: j${i + 1}, type: continuous, parent: l${i}, child: l${i + 1}, origin: { xyz: [0.1, 0, 0] } }`);
    const chain = write('chain.yaml', ['name: chain', 'base: { link: l0, fixed: true }', 'links:', ...links, 'joints:', ...joints, ''].join('\n'));
    return refuses(['check-robot', '--simulate', chain], /chain\.yaml: --simulate takes robots of up to 100 links \(this one has 150\)/);
  });
  test('check-robot --simulate on a larger robot says on stderr what it simulates before the wait', async () => {
    const links = Array.from({ length: 25 }, (_, i) => `  - { name: l${i}, mass: 0.1, inertia: { ixx: 0.001, iyy: 0.001, izz: 0.001 } }`);
    const joints = links.slice(1).map((_, i) => `  - { name: j${i + 1}, type: fixed, parent: l${i}, child: l${i + 1}, origin: { xyz: [0.1, 0, 0] } }`);
    const chain = write('chain25.yaml', ['name: chain25', 'base: { link: l0, fixed: true }', 'links:', ...links, 'joints:', ...joints, ''].join('\n'));
    const r = await itinera(['check-robot', '--simulate', chain]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^check-robot: simulating 'chain25' \(25 links, 0 actuators\): 2 short runs…$/m);
  });
});

describe('robot files with implausible or undecodable values', { concurrency: 2 }, () => {
  test('thousands of problems print at most the cap, then how many more', async () => {
    const links = Array.from({ length: 3000 }, (_, i) => `  - { name: l${i}, mass: -1, inertia: { ixx: 1, iyy: 1, izz: 1 } }`);
    const stderr = await refuses(['check-robot', write('many.yaml', `name: many\nbase: { link: l0, fixed: true }\nlinks:\n${links.join('\n')}\n`)], /many\.yaml: link 'l0': mass must be positive/, MAX_PROBLEM_LINES);
    assert.match(stderr.trimEnd().split('\n').at(-1)!, /^itinera: … and 5,970 more problems \(5,999 in all; fix these first\)$/);
  });
  test('an actuator limit of 1e308 is the robot file\'s error, not a failed run', () =>
    refuses(['run', '--sim', 'reach-v1', '--planner', 'zero', '--robot', write('strong.yaml', REACHER.replace('limit: 3.0 }', 'limit: 1e308 }'))], /strong\.yaml: actuator 'shoulder': limit must be within ±1e\+9 \(got 1e\+308\): the simulator computes in 32-bit floats.*\(line \d+\)/));
  test('a link mass of 1e30 kg', () => refuses(['check-robot', write('heavy.yaml', REACHER.replace('mass: 0.4', 'mass: 1e30'))], /heavy\.yaml: link 'upper_arm': mass must be within ±1e\+9 \(got 1e\+30\)/));
  test('a NaN in a YAML robot', () => refuses(['check-robot', write('nan.yaml', REACHER.replace('mass: 0.4', 'mass: .nan'))], /nan\.yaml: link 'upper_arm' \(links\[1\]\): mass: must be a finite number \(got NaN\)/));
  test('non-UTF-8 bytes in a robot file or suite name the file and line', async () => {
    const bad = Buffer.concat([Buffer.from('name: reach'), Buffer.from([0xff]), Buffer.from('er\n')]);
    await refuses(['check-robot', write('latin1.yaml', Buffer.concat([bad, Buffer.from(REACHER.replace('name: reacher\n', ''))]))], /latin1\.yaml: line 1, column 12: not valid UTF-8 \(byte 0xff\); save the file as UTF-8/);
    const suite = write('latin1-suite.yaml', Buffer.concat([Buffer.from(SMOKE.replace('name: smoke\n', '')), Buffer.from('description: caf'), Buffer.from([0xe9]), Buffer.from('\nname: smoke\n')]));
    await refuses(['bench', '--suite', suite, '--out', join(dir, 'o')], /latin1-suite\.yaml: line 9, column 17: not valid UTF-8 \(byte 0xe9\)/);
  });
  test('implausible masses and limits are warned about, with the reason, by check-robot', async () => {
    const r = await itinera(['check-robot', write('odd.yaml', REACHER.replace('mass: 0.4', 'mass: 40000').replace('limit: 3.0 }', 'limit: 50000 }'))]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /odd\.yaml: link 'upper_arm': mass 40000 kg is over 10000 kg, implausible for a robot link/);
    assert.match(r.stderr, /odd\.yaml: actuator 'shoulder': limit 50000 is over 10000 N·m .*planners sample commands across the whole range/);
  });
  test('a .mjs robot module outside the repository is pointed to the plain-object form', () => {
    const module = write('outside.mjs', "import { defineRobot } from '@itinera/robots';\nexport default defineRobot({ name: 'x', spec: {} });\n");
    return refuses(['check-robot', module], /outside\.mjs: cannot load robot module: Cannot find package '@itinera\/robots'.*export default \{ name, spec \}.*docs\/custom-robots\.md/);
  });
});

test('a duplicated line in results.jsonl is reported on resume, naming the file and the lines', async () => {
  const out = join(dir, 'bench-dup');
  const first = await itinera(['bench', '--suite', 'configs/bench/smoke.yaml', '--out', out]);
  assert.equal(first.code, 0, first.stderr);
  const results = join(out, 'results.jsonl');
  const lines = readFileSync(results, 'utf8').trimEnd().split('\n');
  writeFileSync(results, [...lines, lines[1]].join('\n') + '\n');
  const again = await itinera(['bench', '--suite', 'configs/bench/smoke.yaml', '--out', out, '--resume']);
  assert.equal(again.code, 0, again.stderr);
  const warnings = again.stderr.split('\n').filter((l) => l.includes('repeat'));
  assert.deepEqual(warnings, [`itinera: warning: ${results}: 1 line repeats an episode already there (line ${lines.length + 1} repeats 2); each episode counts once, with its last line`]);
});
