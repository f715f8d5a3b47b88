// as-pect: one spec per decoder layer (parser-wasm/__tests__/*.spec.ts), each compiled to its own wasm.
export default {
  entries: ['parser-wasm/__tests__/**/*.spec.ts'],
  include: ['parser-wasm/__tests__/**/*.include.ts'],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    return instantiate(binary, createImports({ env: { memory } }));
  },
  outputBinary: false,
};
