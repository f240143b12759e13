// The package's JavaScript surface, shared by every entry point. The glue instantiates the Wasm
// when it loads (its source comes from #wasm); nothing here calls into it before a caller does.
import { SIGNATURE_HEADER } from './constants.js';
import { constructEvent, Verifier } from './elenik_webhooks.js';
import { WebhookVerificationError } from './error.js';

// The core's constants, generated from the Wasm module by scripts/build-pkg.sh.
export { ERROR_CODES, EVENT_TYPES, SIGNATURE_HEADER } from './constants.js';
export { constructEvent, deliveryKey, parseEvent, sign, verify, Verifier } from './elenik_webhooks.js';
export { explainMismatch } from './diagnose.js';
export { WebhookVerificationError };

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

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
  const body = await readBody(request, maxBodyBytes);
  const header = request.headers.get(SIGNATURE_HEADER);
  return secretOrVerifier instanceof Verifier
    ? secretOrVerifier.constructEvent(body, header)
    : constructEvent(body, header, secretOrVerifier);
}

async function readBody(request, limit) {
  if (Number(request.headers.get('content-length')) > limit) throw tooLarge(limit);
  if (request.bodyUsed) {
    throw new WebhookVerificationError(
      'INVALID_PAYLOAD',
      'invalid payload: the request body was already read; call verifyRequest first, ' +
        'or verify a request.clone()',
    );
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) {
      await reader.cancel();
      throw new WebhookVerificationError(
        'INVALID_PAYLOAD',
        'invalid payload: the request body stream must yield Uint8Array chunks, as fetch bodies do',
      );
    }
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(limit) {
  return new WebhookVerificationError(
    'PAYLOAD_TOO_LARGE',
    `payload too large: the body is over the limit of ${limit} bytes (raise options.maxBodyBytes if this is expected)`,
  );
}
