// The ABI numbers in src/layout.ts must equal the constants the .wasm exports (assembly/layout.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as layout from '../src/layout.ts';
import { instantiate } from '../src/wasm.ts';

test('every exported WASM constant has the same value in src/layout.ts, and back', async () => {
  const exp = await instantiate();
  const wasmConsts = Object.entries(exp).filter(([, v]) => v instanceof WebAssembly.Global) as [string, WebAssembly.Global][];
  assert.ok(wasmConsts.length > 60, `only ${wasmConsts.length} constants exported`);
  const ts = layout as unknown as Record<string, unknown>;
  for (const [name, g] of wasmConsts) {
    assert.is(ts[name], g.value, `${name}: wasm ${g.value}, src/layout.ts ${String(ts[name])}`);
  }
  const numeric = Object.entries(ts).filter(([, v]) => typeof v === 'number');
  for (const [name] of numeric) assert.ok(exp[name] instanceof WebAssembly.Global, `${name} is in src/layout.ts but not exported by the wasm`);
});

test('every reason number has one stable kebab-case name', () => {
  assert.is(layout.REASON_NAMES.length, layout.REASON_COUNT + 1);
  const names = layout.REASON_NAMES.slice(1);
  assert.is(new Set(names).size, names.length);
  for (const n of names) assert.match(n, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  for (const [k, v] of Object.entries(layout)) {
    if (k.startsWith('R_') && typeof v === 'number') {
      const kebab = k.slice(2).toLowerCase().replace(/_/g, '-');
      assert.is(layout.REASON_NAMES[v], kebab, `${k} = ${v}`);
    }
  }
  for (const u of layout.UNINTERESTING_REASONS) assert.ok(names.includes(u), u);
});

test('records, answers and counters fit their declared sizes', () => {
  assert.ok(layout.REC_FRAME + 4 <= layout.REC_SIZE);
  assert.ok(layout.ANS_VALUE + 16 <= layout.ANS_SIZE);
  assert.ok(layout.CTR_REASON_BASE + layout.REASON_COUNT < layout.CTR_SLOTS);
  assert.is(layout.REC_TS % 8, 0);
});

test.run();
