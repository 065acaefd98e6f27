// Rapier and tfjs-wasm keep their WebAssembly memories private: note each one as it is instantiated, so a benchmark
// or test can read the size of every wasm heap (which grows and never shrinks, so growth is the leak signal).
const memories: WebAssembly.Memory[] = [];
let watching = false;

/** Call before Rapier or a wasm backend is initialised (initPhysics, initBackend); later instances are missed. */
export function watchWasmMemories(): void {
  if (watching) return;
  watching = true;
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async function (this: unknown, ...args: unknown[]) {
    const result = await (instantiate as (...a: unknown[]) => Promise<WebAssembly.WebAssemblyInstantiatedSource | WebAssembly.Instance>).apply(this, args);
    const instance = 'instance' in result ? result.instance : result;
    for (const value of Object.values(instance.exports)) if (value instanceof WebAssembly.Memory) memories.push(value);
    return result;
  } as typeof WebAssembly.instantiate;
}

/** Bytes of all wasm memories instantiated since watchWasmMemories() (Rapier's first). */
export function wasmMemoryBytes(): number {
  return memories.reduce((sum, m) => sum + m.buffer.byteLength, 0);
}
