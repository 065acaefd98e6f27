// Rapier and tfjs-wasm keep their WebAssembly memories private: note each one as it is instantiated, so a benchmark
// or test can read the size of every wasm heap (which grows and never shrinks, so growth is the leak signal).
// Plain JavaScript: bench/memory.ts preloads it into `itinera run` without a TypeScript loader.
/** @type {WebAssembly.Memory[]} */
const memories = [];
let watching = false;

/** Call before Rapier or a wasm backend is initialised (initPhysics, initBackend); later instances are missed. */
export function watchWasmMemories() {
  if (watching) return;
  watching = true;
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async function (...args) {
    const result = await instantiate.apply(this, args);
    const instance = 'instance' in result ? result.instance : result;
    for (const value of Object.values(instance.exports)) if (value instanceof WebAssembly.Memory) memories.push(value);
    return result;
  };
}

/** Bytes of all wasm memories instantiated since watchWasmMemories() (Rapier's first). */
export function wasmMemoryBytes() {
  return memories.reduce((sum, m) => sum + m.buffer.byteLength, 0);
}
