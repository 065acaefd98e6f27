import { ItineraError } from './errors.js';

const VERSIONED = /^(.*)-v(\d+)$/;

/**
 * An explicit list of plug-ins of one kind. Names may carry a version ('reach-v1');
 * a bare name resolves to its newest version.
 */
export class Registry<T extends { readonly name: string }> {
  private readonly items = new Map<string, T>();
  constructor(readonly kind: string) {}

  register(item: T): this {
    if (this.items.has(item.name)) throw new Error(`${this.kind} '${item.name}' is already registered`);
    this.items.set(item.name, item);
    return this;
  }

  has(name: string): boolean {
    return this.resolveName(name) !== undefined;
  }

  get(name: string): T {
    const resolved = this.resolveName(name);
    if (resolved === undefined) {
      throw new ItineraError(`unknown ${this.kind} '${name}' (known: ${this.names().join(', ') || 'none'})`);
    }
    return this.items.get(resolved)!;
  }

  names(): string[] {
    return [...this.items.keys()].sort();
  }

  list(): T[] {
    return this.names().map((n) => this.items.get(n)!);
  }

  private resolveName(name: string): string | undefined {
    if (this.items.has(name)) return name;
    let best: string | undefined;
    let bestVersion = -1;
    for (const key of this.items.keys()) {
      const m = VERSIONED.exec(key);
      if (m && m[1] === name && Number(m[2]) > bestVersion) {
        best = key;
        bestVersion = Number(m[2]);
      }
    }
    return best;
  }
}
