// MJCF <default> classes: each class holds attribute defaults per element tag and inherits its parent class's;
// an element takes its own class, else the nearest enclosing childclass, else 'main'.
import type { MjcfLog } from './mjcf-log.js';
import type { MjcfElement } from './mjcf-xml.js';

type TagDefaults = Map<string, Record<string, string>>;

export const MAIN_CLASS = 'main';

export class MjcfDefaults {
  private readonly classes = new Map<string, TagDefaults>([[MAIN_CLASS, new Map()]]);

  constructor(defaults: MjcfElement[], private readonly log: MjcfLog) {
    for (const el of defaults) this.read(el, new Map(), true);
  }

  private read(el: MjcfElement, inherited: TagDefaults, top: boolean): void {
    const name = el.attrs.class ?? (top ? MAIN_CLASS : undefined);
    if (name === undefined) this.log.problem(el, 'a nested <default> needs a class name');
    const own: TagDefaults = new Map([...inherited].map(([tag, attrs]) => [tag, { ...attrs }]));
    for (const child of el.children) if (child.tag !== 'default') own.set(child.tag, { ...own.get(child.tag), ...child.attrs });
    if (name !== undefined) {
      if (this.classes.has(name) && name !== MAIN_CLASS) this.log.problem(el, `<default class="${name}"> is defined twice`);
      this.classes.set(name, own);
    }
    for (const child of el.children) if (child.tag === 'default') this.read(child, own, false);
  }

  /** The element's attributes over its class's defaults for its tag. */
  attrs(el: MjcfElement, childclass: string | undefined): Record<string, string> {
    const name = el.attrs.class ?? childclass ?? MAIN_CLASS;
    const cls = this.classes.get(name);
    if (!cls) {
      this.log.problem(el, `<${el.tag} class="${name}">: no <default class="${name}"> exists`);
      return { ...el.attrs };
    }
    return { ...cls.get(el.tag), ...el.attrs };
  }

  has(name: string): boolean {
    return this.classes.has(name);
  }
}
