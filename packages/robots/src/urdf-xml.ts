// URDF text to a small element tree with line numbers; malformed XML becomes one problem line with its position.
import { ItineraError } from '@itinera/core';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One XML element: attributes as written, child elements by tag name, the line it starts on. */
export interface XmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: Record<string, XmlElement[]>;
  line: number;
}

const ATTRS = '@';
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/** Parses URDF text and returns its `<robot>` element; throws an ItineraError on malformed XML. */
export function parseUrdfXml(text: string, source: string): XmlElement {
  checkXml(text, source, 'a URDF file holds one <robot> element', 'URDF');
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    attributesGroupName: ATTRS,
    parseAttributeValue: false, // numbers are parsed (and checked) by the importer
    parseTagValue: false,
    captureMetaData: true,
    isArray: (_tag, _path, _leaf, isAttribute) => !isAttribute,
  });
  const lineAt = lineFinder(text);
  const top = parser.parse(text) as Record<string, unknown>;
  const robots = (top.robot ?? []) as unknown[];
  if (robots.length !== 1) {
    const found = Object.keys(top).filter((k) => !k.startsWith('?'));
    throw new ItineraError(`${source}: a URDF file must have one <robot> element at the top (found ${found.map((t) => `<${t}>`).join(', ') || 'none'})`);
  }
  return toElement('robot', robots[0], 1, lineAt);
}

/** Throws one ItineraError line for an empty file, an entity declaration or malformed XML (with its position). */
export function checkXml(text: string, source: string, holds: string, format: string): void {
  if (text.trim() === '') throw new ItineraError(`${source}: the file is empty; ${holds}`);
  refuseEntityDeclarations(text, source, format);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new ItineraError(`${source}: line ${line}: malformed XML: ${msg}${col === undefined ? '' : ` (column ${col})`}`);
  }
}

/**
 * A DOCTYPE's entity declarations can read other files (external entities) or expand without bound (billion
 * laughs); robot files need none, so any declaration is refused before the parser sees it.
 */
function refuseEntityDeclarations(text: string, source: string, format: string): void {
  const at = text.search(/<!ENTITY/i);
  if (at < 0) return;
  const line = text.slice(0, at).split('\n').length;
  throw new ItineraError(`${source}: line ${line}: <!ENTITY> declarations are refused (they can read other files or expand without bound; ${format} needs none)`);
}

function toElement(tag: string, node: unknown, parentLine: number, lineAt: (index: number) => number): XmlElement {
  // `<axis/>` with no attributes and no children parses to a string and carries no position.
  if (typeof node !== 'object' || node === null) return { tag, attrs: {}, children: {}, line: parentLine };
  const record = node as Record<string | symbol, unknown>;
  const start = (record[META] as { startIndex?: number } | undefined)?.startIndex;
  const line = start === undefined ? parentLine : lineAt(start);
  const children: Record<string, XmlElement[]> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === ATTRS || key === '#text') continue;
    children[key] = (value as unknown[]).map((child) => toElement(key, child, line, lineAt));
  }
  return { tag, attrs: { ...(record[ATTRS] as Record<string, string> | undefined) }, children, line };
}

/** Character index to 1-based line number. */
export function lineFinder(text: string): (index: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (index) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** The first child element with this tag. */
export function child(element: XmlElement, tag: string): XmlElement | undefined {
  return element.children[tag]?.[0];
}

export function childrenOf(element: XmlElement, tag: string): XmlElement[] {
  return element.children[tag] ?? [];
}
