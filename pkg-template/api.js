// The package's JavaScript surface, shared by every entry point. It imports its runtime's loader
// first, so the Wasm is instantiated before this module runs: `#load` resolves through
// package.json `imports` with the same conditions as `exports`. Importing it here (not only from
// the entry) matters where the loader is asynchronous: Turbopack loads the Edge entry's
// `.wasm?module` as an async module, and ES module order only waits for it in its importers.
import '#load';
import {
  constructEvent,
  errorClass,
  errorCodes,
  eventTypes,
  signatureHeader,
  Verifier,
} from './elenik_webhooks.js';

import { DEFAULT_MAX_BODY_BYTES, readRequestBody } from './body.js';

export { constructEvent, deliveryKey, explainMismatch, parseEvent, sign, verify, Verifier } from './elenik_webhooks.js';

export const WebhookVerificationError = errorClass();
export const SIGNATURE_HEADER = signatureHeader();
export const EVENT_TYPES = Object.freeze(eventTypes());
export const ERROR_CODES = Object.freeze(errorCodes());
export { DEFAULT_MAX_BODY_BYTES };

// A freed Verifier must never reach Wasm: wasm-bindgen answers its null pointer by throwing
// through the Wasm stack, which leaks a stack frame each time and, repeated, breaks the instance
// for every caller (tests/js/hostile.test.mjs). So its methods throw a TypeError first, and
// free() or [Symbol.dispose]() a second time does nothing.
{
  const proto = Verifier.prototype;
  const live = (verifier) => {
    if (!verifier?.__wbg_ptr) throw new TypeError('this Verifier was freed; create a new one');
    return verifier;
  };
  for (const name of ['verify', 'constructEvent', 'tryVerify', 'sign']) {
    const method = proto[name];
    const guarded = { [name](payload, header) { return method.call(live(this), payload, header); } }[name];
    Object.defineProperty(proto, name, { value: guarded, writable: true, configurable: true });
  }
  const count = Object.getOwnPropertyDescriptor(proto, 'secretCount').get;
  Object.defineProperty(proto, 'secretCount', { get() { return count.call(live(this)); }, configurable: true });
  const free = proto.free;
  const once = function free_() {
    if (this?.__wbg_ptr) free.call(this);
  };
  Object.defineProperty(proto, 'free', { value: once, writable: true, configurable: true });
  if (Symbol.dispose) Object.defineProperty(proto, Symbol.dispose, { value: once, writable: true, configurable: true });
}

// For fetch-style handlers (Workers, Deno, Bun, Hono): reads the body once, as bytes, refusing
// more than maxBodyBytes, then verifies and parses it.
export async function verifyRequest(request, secretOrVerifier, options = {}) {
  const maxBodyBytes = options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (typeof request?.headers?.get !== 'function') {
    throw new WebhookVerificationError(
      'INVALID_PAYLOAD',
      'invalid payload: verifyRequest takes a fetch Request; with node:http or Express, ' +
        'pass the raw body and req.headers to constructEvent instead',
    );
  }
  if (!(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes >= 0)) {
    throw new RangeError('maxBodyBytes must be a non-negative integer');
  }
  const body = await readRequestBody(request, maxBodyBytes);
  const header = request.headers.get(SIGNATURE_HEADER);
  return secretOrVerifier instanceof Verifier
    ? secretOrVerifier.constructEvent(body, header)
    : constructEvent(body, header, secretOrVerifier);
}

// The receiver kit (createReceiver, memoryStore) and the stores, which use the API above.
export { createReceiver } from './receiver.js';
export { memoryStore } from './store-memory.js';

// The delivery guard's shared stores (the receiver's `dedupe.store`): the user passes their own
// client or binding, so none of them adds a dependency.
export { redisStore } from './store-redis.js';
export { durableObjectStore, ElenikDedupe } from './store-durable-object.js';
export { denoKvStore } from './store-deno-kv.js';
