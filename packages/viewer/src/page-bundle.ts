// The page's code (three.js included) bundled into one IIFE: file:// pages cannot import ES modules.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The page sources ship with the package; this resolves from src/ (tsx) and dist/ alike. */
const ENTRY = fileURLToPath(new URL('../src/page/main.ts', import.meta.url));

let cached: Promise<string> | undefined;

/** Bundles once per process (a few hundred milliseconds). */
export function pageBundle(): Promise<string> {
  cached ??= build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'eof',
    write: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0].text);
  return cached;
}
