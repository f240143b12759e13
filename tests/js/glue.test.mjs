// The glue's contract with the loaders (pkg-template/load.*.js): `initSync({ module })` takes a
// `WebAssembly.Module`, also one compiled in another realm (webpack's server sandbox and edge
// runtimes hand one over, and `instanceof WebAssembly.Module` is false for it), or the bytes.
// Each case runs in a fresh Node process that loads the glue alone (not an entry point, whose
// loader would instantiate it first).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

const glueUrl = new URL('./elenik_webhooks.js', import.meta.resolve('elenik-webhooks')).href;
const wasmUrl = new URL('./elenik_webhooks_bg.wasm', glueUrl).href;

function run(make) {
  const script = `
    import { readFileSync } from 'node:fs';
    import vm from 'node:vm';
    const glue = await import(${JSON.stringify(glueUrl)});
    const bytes = readFileSync(new URL(${JSON.stringify(wasmUrl)}));
    const module = (${make})(bytes, vm);
    const exports = glue.initSync({ module });
    if (glue.initSync() !== exports) throw new Error('a later call must return the running instance');
    const body = '{"event":"user_signup","data":{"user_id":"u_glue"}}';
    const header = glue.sign(body, 'glue-secret');
    const event = glue.constructEvent(body, header, 'glue-secret');
    console.log(JSON.stringify({ verified: glue.verify(body, header, 'glue-secret'), event, realm: module instanceof WebAssembly.Module }));
  `;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

test('initSync takes a WebAssembly.Module from another realm', () => {
  const outcome = run((bytes, vm) => vm.runInNewContext('new WebAssembly.Module(bytes)', { bytes }));
  assert.equal(outcome.realm, false, 'the point of the test: instanceof fails for it');
  assert.equal(outcome.verified, true);
  assert.deepEqual(outcome.event, { event: 'user_signup', data: { user_id: 'u_glue' } });
});

test('initSync takes a module of this realm, or the bytes', () => {
  const makers = {
    module: (bytes) => new WebAssembly.Module(bytes),
    Buffer: (bytes) => bytes,
    ArrayBuffer: (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  };
  for (const [name, make] of Object.entries(makers)) assert.equal(run(make).verified, true, name);
});
