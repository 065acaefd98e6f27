// MJCF text to an element tree that keeps document order (actuators and keyframes depend on it) and the file
// and line of every element, with <include file> replaced by the included file's elements.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ItineraError, readTextFile } from '@itinera/core';
import { XMLParser } from 'fast-xml-parser';
import { checkXml, lineFinder } from './urdf-xml.js';

export interface MjcfElement {
  tag: string;
  attrs: Record<string, string>;
  /** Child elements in document order. */
  children: MjcfElement[];
  file: string;
  line: number;
}

/** The largest MJCF file read (Menagerie's largest models are under 100 KiB; meshes are separate files). */
export const MAX_MJCF_BYTES = 8 * 1024 * 1024;
const ATTRS = ':@';
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;
const HOLDS = 'an MJCF file holds one <mujoco> element';

/** Reads the file's `<mujoco>` element with its includes expanded (each file read once per chain). */
export function readMjcfTree(path: string, text?: string, chain: string[] = []): MjcfElement {
  const source = text === undefined ? resolve(path) : path;
  const root = parseMjcfXml(text ?? readTextFile(path, 'robot file', MAX_MJCF_BYTES), source);
  return { ...root, children: expandIncludes(root.children, source, [...chain, source]) };
}

export function parseMjcfXml(text: string, source: string): MjcfElement {
  checkXml(text, source, HOLDS, 'MJCF');
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false, captureMetaData: true });
  const lineAt = lineFinder(text);
  const top = (parser.parse(text) as Array<Record<string, unknown>>).filter((node) => !isMeta(tagOf(node)));
  if (top.length !== 1 || tagOf(top[0]) !== 'mujoco')
    throw new ItineraError(`${source}: ${HOLDS} at the top (found ${top.map((n) => `<${tagOf(n)}>`).join(', ') || 'none'})`);
  return toElement(top[0], source, 1, lineAt)!;
}

const tagOf = (node: Record<string, unknown>) => Object.keys(node).find((k) => k !== ATTRS) ?? '';
const isMeta = (tag: string) => tag.startsWith('?') || tag === '#comment' || tag === '#text' || tag === '';

function toElement(node: Record<string | symbol, unknown>, file: string, parentLine: number, lineAt: (i: number) => number): MjcfElement | undefined {
  const tag = tagOf(node as Record<string, unknown>);
  if (isMeta(tag)) return undefined;
  const start = (node[META] as { startIndex?: number } | undefined)?.startIndex;
  const line = start === undefined ? parentLine : lineAt(start);
  const kids = (node[tag] as Array<Record<string | symbol, unknown>>) ?? [];
  const children = kids.map((k) => toElement(k, file, line, lineAt)).filter((e): e is MjcfElement => e !== undefined);
  return { tag, attrs: { ...(node[ATTRS] as Record<string, string> | undefined) }, children, file, line };
}

/** MuJoCo resolves an include's file against the including model's folder; its <mujoco>'s children take its place. */
function expandIncludes(elements: MjcfElement[], source: string, chain: string[]): MjcfElement[] {
  return elements.flatMap((el) => {
    if (el.tag !== 'include') return [{ ...el, children: expandIncludes(el.children, source, chain) }];
    const file = el.attrs.file;
    if (file === undefined) throw new ItineraError(`${el.file}: <include file> is missing (line ${el.line})`);
    const path = resolve(dirname(chain[0]), file);
    if (!existsSync(path)) throw new ItineraError(`${el.file}: <include file="${file}">: file not found: ${path} (line ${el.line})`);
    if (chain.includes(path)) throw new ItineraError(`${el.file}: <include file="${file}"> includes itself (${[...chain, path].join(' -> ')}) (line ${el.line})`);
    return readMjcfTree(path, undefined, chain).children;
  });
}

export const kids = (el: MjcfElement | undefined, tag: string) => el?.children.filter((c) => c.tag === tag) ?? [];
export const kid = (el: MjcfElement | undefined, tag: string) => el?.children.find((c) => c.tag === tag);
