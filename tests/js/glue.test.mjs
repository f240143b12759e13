// The glue's contract with the loaders (pkg-template/load.*.js): `initSync({ module })` takes a
// `WebAssembly.Module`, also one compiled in another realm (webpack's server sandbox and edge
// runtimes hand one over, and `instanceof WebAssembly.Module` is false for it), or the bytes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import vm from 'node:vm';

const glueUrl = new URL('./elenik_webhooks.js', import.meta.resolve('elenik-webhooks'));
const bytes = readFileSync(new URL('./elenik_webhooks_bg.wasm', glueUrl));
const BODY = '{"event":"user_signup","data":{"user_id":"u_glue"}}';

/** A fresh instance of the glue module (its own Wasm instance), by a distinct URL. */
const freshGlue = (tag) => import(`${glueUrl}?${tag}`);

test('initSync takes a WebAssembly.Module from another realm', async () => {
  const module = vm.runInNewContext('new WebAssembly.Module(bytes)', { bytes });
  assert.equal(module instanceof WebAssembly.Module, false, 'the point of the test');
  const glue = await freshGlue('cross-realm');
  const exports = glue.initSync({ module });
  assert.equal(glue.initSync(), exports, 'later calls return the running instance');
  const header = glue.sign(BODY, 'glue-secret');
  assert.equal(glue.verify(BODY, header, 'glue-secret'), true);
  assert.deepEqual(glue.constructEvent(BODY, header, 'glue-secret'), JSON.parse(BODY));
});

test('initSync takes a module of this realm, or the bytes', async () => {
  for (const [tag, module] of [['module', new WebAssembly.Module(bytes)], ['bytes', bytes], ['buffer', bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)]]) {
    const glue = await freshGlue(tag);
    glue.initSync({ module });
    assert.equal(glue.verify(BODY, glue.sign(BODY, 's'), 's'), true, tag);
  }
});
