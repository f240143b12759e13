// Hostile inputs (tests/js/hostile-inputs.mjs) thrown at every argument of every export of the
// installed package. After each call a known-good delivery must still verify in the same Wasm
// instance, and every throw must be a WebhookVerificationError: never `RuntimeError:
// unreachable` (a Rust panic or abort), never a raw JS exception that unwound through Wasm.
// The documented exceptions live in verifyRequest's plain-JS layer: RangeError for a bad
// `maxBodyBytes`, and an error the caller's own request or options object throws (a getter, a
// revoked Proxy), passed through unchanged. A freed Verifier throws a TypeError.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import * as api from 'elenik-webhooks';
import { HostileError, hostileInputs } from './hostile-inputs.mjs';

const { verify, sign, constructEvent, Verifier, WebhookVerificationError, ERROR_CODES, SIGNATURE_HEADER } = api;

const good = {
  body: '{"event":"user_signup","data":{"user_id":"u_hostile"}}',
  secret: 'hostile-suite-secret',
  other: 'ab'.repeat(32),
};
good.header = `sha256=${createHmac('sha256', good.secret).update(good.body).digest('hex')}`;

// One Verifier lives through the whole run: a call that broke its borrow flag or the instance
// would show up here.
const keeper = new Verifier([good.secret, 'second-secret']);
function stillWorks(context) {
  assert.equal(verify(good.body, good.header, good.secret), true, `${context}: verify after`);
  assert.equal(keeper.verify(good.body, good.header), true, `${context}: Verifier#verify after`);
  assert.deepEqual(keeper.constructEvent(good.body, good.header), JSON.parse(good.body), `${context}: constructEvent after`);
  assert.equal(sign(good.body, good.secret), good.header, `${context}: sign after`);
}

const goodRequest = () =>
  new Request('http://127.0.0.1/webhook', { method: 'POST', body: good.body, headers: { [SIGNATURE_HEADER]: good.header } });

// Every export that takes input, with the arguments of a good call. Exports added later that are
// not listed here are called with (body, header, secret) cut to their arity.
const calls = {
  verify: { args: () => [good.body, good.header, good.secret], call: (a) => verify(...a), only: ['INVALID_PAYLOAD', 'INVALID_SECRET'], neverThrowsAt: [1] },
  constructEvent: { args: () => [good.body, good.header, good.secret], call: (a) => constructEvent(...a) },
  parseEvent: { args: () => [good.body], call: (a) => api.parseEvent(...a) },
  sign: { args: () => [good.body, good.secret], call: (a) => sign(...a) },
  'new Verifier': { args: () => [good.secret], call: (a) => new Verifier(...a).free() },
  'Verifier#verify': { args: () => [good.body, good.header], call: (a) => keeper.verify(...a), only: ['INVALID_PAYLOAD'], neverThrowsAt: [1] },
  'Verifier#constructEvent': { args: () => [good.body, good.header], call: (a) => keeper.constructEvent(...a) },
  'Verifier#tryVerify': { args: () => [good.body, good.header], call: (a) => keeper.tryVerify(...a), neverThrowsAt: [0, 1] },
  'Verifier#sign': { args: () => [good.body], call: (a) => keeper.sign(...a) },
  verifyRequest: { args: () => [goodRequest(), good.secret, {}], call: (a) => api.verifyRequest(...a), js: true },
  // The receiver kit is plain JS around the core: its own option checks throw TypeError or
  // RangeError naming the option, at creation.
  createReceiver: { args: () => [{ secret: good.secret, logger: false }], call: (a) => api.createReceiver(...a), js: true, options: /^createReceiver: / },
  memoryStore: { args: () => [{ maxEntries: 10 }], call: (a) => api.memoryStore(...a), js: true, options: /^memoryStore: / },
  // The shared stores take the user's client or binding: anything else is a TypeError naming the store.
  redisStore: { args: () => [{ sendCommand: async () => 1 }, { prefix: 'p:' }], call: (a) => api.redisStore(...a), js: true, options: /^redisStore: / },
  durableObjectStore: {
    args: () => [{ idFromName: String, get: () => ({}) }, { prefix: 'p:' }],
    call: (a) => api.durableObjectStore(...a),
    js: true,
    options: /^durableObjectStore: /,
  },
  denoKvStore: { args: () => [{ get: async () => ({}), atomic: () => ({}) }, { prefix: ['p'] }], call: (a) => api.denoKvStore(...a), js: true, options: /^denoKvStore: / },
  // The queue adapters take the user's Queue, binding or Deno.Kv: anything else is a TypeError naming the adapter.
  bullmqQueue: { args: () => [{ add: async () => ({}) }, { attempts: 3 }, { timeoutMs: 1000 }], call: (a) => api.bullmqQueue(...a), js: true, options: /^bullmqQueue: / },
  cloudflareQueue: { args: () => [{ send: async () => {} }, { timeoutMs: 1000 }], call: (a) => api.cloudflareQueue(...a), js: true, options: /^cloudflareQueue: / },
  denoKvQueue: { args: () => [{ enqueue: async () => ({ ok: true }) }, { timeoutMs: 1000 }], call: (a) => api.denoKvQueue(...a), js: true, options: /^denoKvQueue: / },
  // workerd constructs it with (state, env); it only keeps them.
  'new ElenikDedupe': { args: () => [{ storage: {} }, {}], call: (a) => new api.ElenikDedupe(...a), js: true, neverThrowsAt: [0, 1] },
  'receiver.receive': {
    args: () => [good.body, { [SIGNATURE_HEADER]: good.header }],
    call: async (a) => {
      const { status, body } = await receiver.receive(...a);
      assert.ok(Number.isInteger(status) && body && typeof body === 'object', 'receive answers a status and a body');
      if (status >= 400) throw new WebhookVerificationError(body.error, body.message);
    },
    js: true,
  },
};
const receiver = api.createReceiver({ secret: good.secret, dedupe: false, logger: false });
const classes = new Set(['Verifier', 'WebhookVerificationError', 'ElenikDedupe']);
for (const [name, value] of Object.entries(api)) {
  if (typeof value !== 'function' || classes.has(name) || calls[name]) continue;
  calls[name] = { args: () => [good.body, good.header, good.secret].slice(0, Math.max(value.length, 1)), call: (a) => value(...a) };
}

async function outcomeOf(spec, args) {
  try {
    return { value: await spec.call(args) };
  } catch (error) {
    return { error };
  }
}

function judge(spec, site, position, outcome) {
  if (!('error' in outcome)) return 'returned';
  const { error } = outcome;
  assert.ok(!(error instanceof WebAssembly.RuntimeError), `${site}: RuntimeError ${error.message}`);
  assert.ok(!spec.neverThrowsAt?.includes(position), `${site}: must not throw, threw ${error?.name}: ${error?.message}`);
  if (error instanceof WebhookVerificationError) {
    assert.ok(ERROR_CODES.includes(error.code), `${site}: unknown code ${error.code}`);
    if (spec.only) assert.ok(spec.only.includes(error.code), `${site}: may not throw ${error.code}`);
    assert.ok(!error.message.includes(good.secret), `${site}: the secret is in the message`);
    assert.ok(!error.message.includes(good.header.slice(7)), `${site}: the expected signature is in the message`);
    return error.code;
  }
  if (spec.js && error instanceof HostileError) return 'caller error passed through';
  if (spec.js && error instanceof TypeError && /revoked/.test(error.message)) return 'caller error passed through';
  if (spec.js && error instanceof RangeError && position === 2) return 'RangeError (maxBodyBytes)';
  if (spec.options && (error instanceof TypeError || error instanceof RangeError) && spec.options.test(error.message)) {
    return `${error.name} (options)`;
  }
  assert.fail(`${site}: threw ${error?.constructor?.name}: ${error?.message}`);
}

test('hostile inputs at every argument of every export', async (t) => {
  stillWorks('before');
  const inputs = hostileInputs(good);
  const names = new Set(inputs.map((h) => h.name));
  assert.ok(inputs.length >= 200, `${inputs.length} hostile inputs`);
  let calls_made = 0;
  const byClass = new Map();
  for (const [exportName, spec] of Object.entries(calls)) {
    const arity = spec.args().length;
    for (let position = 0; position < arity; position += 1) {
      for (const hostile of inputs) {
        const args = spec.args();
        args[position] = hostile.make();
        const site = `${exportName} arg ${position} = ${hostile.name}`;
        const verdict = judge(spec, site, position, await outcomeOf(spec, args));
        stillWorks(site);
        calls_made += 1;
        const seen = byClass.get(hostile.cls) ?? new Map();
        seen.set(verdict, (seen.get(verdict) ?? 0) + 1);
        byClass.set(hostile.cls, seen);
      }
    }
  }
  t.diagnostic(`${inputs.length} hostile inputs (${names.size} distinct), ${calls_made} calls over ${Object.keys(calls).length} entry points`);
  for (const [cls, seen] of byClass) {
    const count = inputs.filter((h) => h.cls === cls).length;
    t.diagnostic(`${cls} (${count}): ${[...seen].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
});

test('request objects that misbehave', async () => {
  const request = (init) => new Request('http://127.0.0.1/webhook', { method: 'POST', ...init });
  const cases = {
    'body over maxBodyBytes': [request({ body: 'x'.repeat(2 << 20), headers: { [SIGNATURE_HEADER]: good.header } }), 'PAYLOAD_TOO_LARGE'],
    'content-length lies high': [request({ body: good.body, headers: { 'content-length': '99999999', [SIGNATURE_HEADER]: good.header } }), 'PAYLOAD_TOO_LARGE'],
    'body already read': [await (async () => {
      const r = goodRequest();
      await r.text();
      return r;
    })(), 'INVALID_PAYLOAD'],
    'stream that errors': [{ headers: new Headers({ [SIGNATURE_HEADER]: good.header }), bodyUsed: false, body: new ReadableStream({ pull(c) { c.error(new HostileError('stream')); } }) }, HostileError],
    'stream of strings': [{ headers: new Headers({ [SIGNATURE_HEADER]: good.header }), bodyUsed: false, body: new ReadableStream({ start(c) { c.enqueue(good.body); c.enqueue('x'); c.close(); } }) }, 'INVALID_PAYLOAD'],
    'headers.get throws': [{ headers: { get: () => { throw new HostileError('get'); } } }, HostileError],
    'no body, no header': [{ headers: new Headers(), body: null }, 'MISSING_SIGNATURE'],
  };
  for (const [name, [req, expected]] of Object.entries(cases)) {
    const outcome = await outcomeOf(calls.verifyRequest, [req, good.secret, {}]);
    assert.ok('error' in outcome, `${name}: must reject`);
    if (typeof expected === 'string') {
      assert.ok(outcome.error instanceof WebhookVerificationError, `${name}: ${outcome.error}`);
      assert.equal(outcome.error.code, expected, name);
    } else {
      assert.ok(outcome.error instanceof expected, `${name}: ${outcome.error}`);
    }
    stillWorks(name);
  }
});

// Before the guard in api.js, each call on a freed Verifier threw through the Wasm stack and
// leaked a frame: some 300,000 of them broke the instance ("memory access out of bounds").
test('a freed Verifier throws a TypeError, as often as it is called, and the instance keeps working', () => {
  const verifier = new Verifier(good.secret);
  verifier.free();
  verifier.free(); // twice is harmless
  verifier[Symbol.dispose]();
  const freed = (error) => error instanceof TypeError && /freed/.test(error.message);
  for (const method of ['verify', 'constructEvent', 'tryVerify', 'sign']) {
    assert.throws(() => verifier[method](good.body, good.header), freed, method);
    stillWorks(`freed Verifier#${method}`);
  }
  assert.throws(() => verifier.secretCount, freed);
  assert.throws(() => Verifier.prototype.verify.call({}, good.body, good.header), freed);
  for (let i = 0; i < 500_000; i += 1) {
    try {
      verifier.verify(good.body, good.header);
    } catch {
      // a TypeError, as asserted above
    }
  }
  stillWorks('500,000 calls on a freed Verifier');
  const disposed = new Verifier(good.secret);
  disposed[Symbol.dispose]();
  assert.throws(() => disposed.verify(good.body, good.header), freed);
  stillWorks('disposed');
});

// Same story for a JS exception inside a Wasm call (here a Uint8Array whose buffer was detached,
// which made `Uint8Array.prototype.set` throw mid-copy): now read as no bytes.
test('300,000 calls with a detached view leave the instance working', () => {
  const view = new Uint8Array(64);
  structuredClone(view.buffer, { transfer: [view.buffer] });
  for (let i = 0; i < 300_000; i += 1) assert.equal(keeper.verify(view, good.header), false);
  stillWorks('detached x300,000');
});
