// The glue's contract: it instantiates the Wasm itself when the entry loads (each runtime's entry is
// one file, bundled with its Wasm source), and `instantiate` takes a `WebAssembly.Module`, also one compiled in another realm
// (webpack's server sandbox and edge runtimes hand one over, and `instanceof WebAssembly.Module`
// is false for it), or the bytes. Each case runs in a fresh Node process. (The Next.js webpack
// Edge cells of make test-examples are the same case end to end.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

const entryUrl = import.meta.resolve('elenik-webhooks');
const wasmUrl = new URL('./elenik_webhooks_bg.wasm', entryUrl).href;

function run(make) {
  const script = `
    import { readFileSync } from 'node:fs';
    import vm from 'node:vm';
    const api = await import(${JSON.stringify(entryUrl)});
    const glue = api.Verifier[Symbol.for('elenik-webhooks.glue')];
    const running = glue.initSync();
    if (!running) throw new Error('the glue must have instantiated the Wasm when it loaded');
    const bytes = readFileSync(new URL(${JSON.stringify(wasmUrl)}));
    const module = (${make})(bytes, vm);
    const fresh = glue.instantiate(module);
    if (glue.initSync({ module }) !== running) throw new Error('a later initSync must return the running instance');
    // The fresh instance answers the core's own questions (its constants export).
    fresh.constants();
    const constants = new TextDecoder().decode(new Uint8Array(fresh.memory.buffer, fresh.out(), fresh.out_len()));
    const body = '{"event":"user_signup","data":{"user_id":"u_glue"}}';
    const header = api.sign(body, 'glue-secret');
    const event = api.constructEvent(body, header, 'glue-secret');
    console.log(JSON.stringify({ verified: api.verify(body, header, 'glue-secret'), event, constants, distinct: fresh !== running, realm: module instanceof WebAssembly.Module }));
  `;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

test('instantiate takes a WebAssembly.Module from another realm', () => {
  const outcome = run((bytes, vm) => vm.runInNewContext('new WebAssembly.Module(bytes)', { bytes }));
  assert.equal(outcome.realm, false, 'the point of the test: instanceof fails for it');
  assert.equal(outcome.distinct, true);
  assert.match(outcome.constants, /^x-elenik-signature\t/);
  assert.equal(outcome.verified, true);
  assert.deepEqual(outcome.event, { event: 'user_signup', data: { user_id: 'u_glue' } });
});

test('instantiate takes a module of this realm, or the bytes', () => {
  const makers = {
    module: (bytes) => new WebAssembly.Module(bytes),
    Buffer: (bytes) => bytes,
    ArrayBuffer: (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  };
  for (const [name, make] of Object.entries(makers)) {
    const outcome = run(make);
    assert.equal(outcome.distinct, true, name);
    assert.match(outcome.constants, /^x-elenik-signature\t/, name);
  }
});

test('the test hook is a non-enumerable static, and the entry exports no internals', async () => {
  const api = await import('elenik-webhooks');
  const hook = Object.getOwnPropertyDescriptor(api.Verifier, Symbol.for('elenik-webhooks.glue'));
  assert.equal(hook.enumerable, false);
  assert.equal(hook.writable, false);
  assert.deepEqual(Object.keys(hook.value).sort(), ['initSync', 'instantiate']);
  for (const name of ['initSync', 'instantiate', 'diagnosisInputs', 'hmacMatches']) assert.equal(name in api, false, name);
});
