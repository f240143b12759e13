// The package's JavaScript surface, shared by every entry point. The glue instantiates the Wasm
// when it loads (its source comes from #wasm); nothing here calls into it before a caller does.
import { SIGNATURE_HEADER } from './constants.js';
import { constructEvent, Verifier } from './glue.js';
import { WebhookVerificationError } from './error.js';
import { checkBodyLimit, DEFAULT_MAX_BODY_BYTES, readRequestBody } from './body.js';

// The core's constants, generated from the Wasm module by scripts/build-pkg.sh.
export { ERROR_CODES, EVENT_TYPES, SIGNATURE_HEADER } from './constants.js';
export { constructEvent, deliveryKey, parseEvent, sign, verify, Verifier } from './glue.js';
export { explainMismatch } from './diagnose.js';
export { WebhookVerificationError };
export { DEFAULT_MAX_BODY_BYTES };

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
  checkBodyLimit(maxBodyBytes, '');
  const body = await readRequestBody(request, maxBodyBytes);
  const header = request.headers.get(SIGNATURE_HEADER);
  return secretOrVerifier instanceof Verifier
    ? secretOrVerifier.constructEvent(body, header)
    : constructEvent(body, header, secretOrVerifier);
}

// The receiver kit (createReceiver, memoryStore) and the stores, which use the API above.
export { createReceiver } from '../receiver/index.js';
export { memoryStore } from '../stores/memory.js';

// The delivery guard's shared stores (the receiver's `dedupe.store`): the user passes their own
// client or binding, so none of them adds a dependency.
export { redisStore } from '../stores/redis.js';
export { durableObjectStore, ElenikDedupe } from '../stores/durable-object.js';
export { denoKvStore } from '../stores/deno-kv.js';

// The receiver's `queue` (acknowledge fast, run the handlers from a queue): the user passes their
// own Queue, binding or Deno.Kv, so none of them adds a dependency either.
export { bullmqQueue } from '../queues/bullmq.js';
export { cloudflareQueue } from '../queues/cloudflare.js';
export { denoKvQueue } from '../queues/deno-kv.js';
