// Runs the commands in README.md and docs/*.md, so the docs cannot rot. How a doc marks its blocks:
// - ```sh / ```bash / ```shell: every line is a command (a trailing `\` continues it); ```console: lines that
//   start with `$ ` are commands, the rest is output. `itinera` and `npx itinera` are the built CLI.
// - <!-- docs-test: skip REASON --> just before a block: not run (slow, needs a service, placeholders).
// - <!-- docs-test: exit N --> just before a block: its commands must exit N (default 0).
// - A block whose first line is a comment naming a file (`# my-arm.yaml`, `// my-arm.mjs`) is written to that
//   file for the commands after it; one naming a repository path (`// configs/…`) must match that file.
// Each document runs in its own temp folder, holding links to the repository's entries (configs, models, …),
// so what the commands write (episode.jsonl, runs/) stays out of the repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marked, type Token, type Tokens } from 'marked';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'itinera.js');
/** A doc command should take under a minute on an idle machine; the slack is for a busy shared one. */
const COMMAND_TIMEOUT_S = 150;
const SHELL = new Set(['sh', 'bash', 'shell']);
// coreutils' timeout kills the CLI itself (exit 124), which killing bash would leave running.
const PRELUDE = `itinera() { timeout -k 5 ${COMMAND_TIMEOUT_S} node "${BIN}" "$@"; }
npx() { if [ "$1" = itinera ]; then shift; itinera "$@"; else command npx "$@"; fi; }
`;

interface Block {
  lang: string;
  text: string;
  /** From the HTML comment just before the block. */
  skip?: string;
  exit: number;
}

/** The fenced blocks of a Markdown document, in order, lists and quotes included, with their docs-test marks. */
function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  let previous: Token | undefined;
  marked.walkTokens(marked.lexer(markdown), (token) => {
    if (token.type === 'space') return;
    if (token.type === 'code') {
      const mark = previous?.type === 'html' ? /<!--\s*docs-test:\s*(skip|exit)\s*(.*?)\s*-->/.exec(previous.raw) : null;
      const { lang = '', text } = token as Tokens.Code;
      found.push({ lang: lang.trim(), text, skip: mark?.[1] === 'skip' ? mark[2] || 'no reason given' : undefined, exit: mark?.[1] === 'exit' ? Number(mark[2]) : 0 });
    }
    previous = token;
  });
  return found;
}

/** The commands of a shell or console block, continuation lines joined. */
function commands(block: Block): string[] {
  const isConsole = block.lang === 'console';
  const out: string[] = [];
  let open = false; // the last command ended with `\`
  for (const line of block.text.split('\n')) {
    if (open) out[out.length - 1] += `\n${line}`;
    else if (isConsole ? line.startsWith('$ ') : line.trim() !== '' && !line.trim().startsWith('#')) out.push(isConsole ? line.slice(2) : line);
    else continue;
    open = line.endsWith('\\');
  }
  return out;
}

/** The command on one line, without its trailing comment: a readable test name. */
function title(command: string): string {
  return command.replace(/\\\n\s*/g, '').replace(/\s+#\s.*$/, '');
}

/** `my-arm.yaml` from a first line `# my-arm.yaml` or `// my-arm.mjs`. */
function namedFile(block: Block): string | undefined {
  return /^(?:#|\/\/)\s*([\w./-]+\.\w+)\s*$/.exec(block.text.split('\n')[0])?.[1];
}

/** A folder outside the repository with links to the repository's tracked entries (never to an output left there). */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'itinera-docs-'));
  const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' });
  const entries = new Set(files.split('\n').filter(Boolean).map((f) => f.split('/')[0]));
  for (const entry of entries) if (existsSync(join(ROOT, entry))) symlinkSync(join(ROOT, entry), join(dir, entry));
  return dir;
}

const docs = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];

for (const doc of docs) {
  test(`the commands of ${doc} run`, async (t) => {
    const dir = workspace();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    for (const block of blocks(readFileSync(join(ROOT, doc), 'utf8'))) {
      const file = namedFile(block);
      if (file?.includes('/')) {
        // A copy of a repository file: what the doc shows must still be in it.
        await t.test(`${file} matches the repository`, () => {
          const body = block.text.split('\n').slice(1).join('\n').trim();
          assert.ok(readFileSync(join(ROOT, file), 'utf8').includes(body), `${doc} shows ${file} differently from the repository`);
        });
      } else if (file) {
        writeFileSync(join(dir, file), `${block.text}\n`);
      }
      if (!SHELL.has(block.lang) && block.lang !== 'console') continue;
      for (const command of commands(block)) {
        await t.test(title(command), { skip: block.skip }, () => {
          const r = spawnSync('bash', ['-c', PRELUDE + command], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: (COMMAND_TIMEOUT_S + 10) * 1000 });
          assert.equal(r.error, undefined, `${command}: ${r.error?.message}`); // a command other than itinera ran too long
          assert.notEqual(r.status, 124, `${command} took over ${COMMAND_TIMEOUT_S} s`);
          assert.equal(r.status, block.exit, `${command} exited ${r.status}, expected ${block.exit}:\n${r.stderr.slice(-2000)}`);
        });
      }
    }
  });
}

test('the docs test reads marks, commands and file names the way the docs write them', () => {
  const md = [
    'Text.',
    '',
    '<!-- docs-test: skip takes minutes -->',
    '```sh',
    'npx itinera run   # a comment',
    '# a comment line',
    'npx itinera bench \\',
    '  --suite s.yaml',
    '```',
    '',
    '- in a list:',
    '',
    '  <!-- docs-test: exit 1 -->',
    '  ```console',
    '  $ itinera check-robot bad.urdf',
    '  itinera: bad.urdf: a problem',
    '  ```',
    '',
    '```yaml',
    '# my-arm.yaml',
    'name: my-arm',
    '```',
  ].join('\n');
  const [sh, consoleBlock, yaml] = blocks(md);
  assert.equal(sh.skip, 'takes minutes');
  assert.deepEqual(commands(sh), ['npx itinera run   # a comment', 'npx itinera bench \\\n  --suite s.yaml']);
  assert.equal(consoleBlock.exit, 1);
  assert.equal(consoleBlock.skip, undefined);
  assert.deepEqual(commands(consoleBlock), ['itinera check-robot bad.urdf']);
  assert.equal(title(commands(sh)[1]), 'npx itinera bench --suite s.yaml');
  assert.equal(title(commands(sh)[0]), 'npx itinera run');
  assert.equal(namedFile(yaml), 'my-arm.yaml');
  assert.equal(namedFile(sh), undefined);
});
