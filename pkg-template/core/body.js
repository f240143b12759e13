// Reading a request body as bytes up to a limit, shared by verifyRequest (api.js) and the
// receiver's fetch adapter. Not exported from the package. It imports the error class, not api.js:
// no import cycle, which bundlers (webpack's module concatenation) handle differently.
import { WebhookVerificationError } from './error.js';

/** The body limit when none is given: 1 MiB (exported by api.js). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const error = (code, message) => new WebhookVerificationError(code, message);

/** `maxBodyBytes` as given (verifyRequest, createReceiver), or a RangeError naming `where`. */
export function checkBodyLimit(maxBodyBytes, where) {
  if (!(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes >= 0)) {
    throw new RangeError(`${where}maxBodyBytes must be a non-negative integer`);
  }
  return maxBodyBytes;
}

export async function readRequestBody(request, limit) {
  const declared = request.headers.get('content-length');
  if (Number(declared) > limit) throw tooLarge(limit);
  if (request.bodyUsed) {
    throw error(
      'INVALID_PAYLOAD',
      'invalid payload: the request body was already read; verify the request before ' +
        'anything else reads it, or pass a request.clone()',
    );
  }
  if (!request.body) return new Uint8Array(0);
  // Counted while reading, whatever content-length says: a Request built in code (or by a
  // runtime that does not hold the sender to its header) may declare fewer bytes than it carries,
  // and arrayBuffer() would read them all before any check. Reading stops one chunk past the limit.
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) {
      stop(reader);
      throw error(
        'INVALID_PAYLOAD',
        'invalid payload: the request body stream must yield Uint8Array chunks, as fetch bodies do',
      );
    }
    size += value.byteLength;
    if (size > limit) {
      stop(reader);
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

/** Cancels the rest of a stream without waiting on it: a stream's cancel() may never settle. */
function stop(reader) {
  try {
    reader.cancel().catch(() => {});
  } catch {
    // Already closed or errored: nothing left to read.
  }
}

export function tooLarge(limit) {
  return error(
    'PAYLOAD_TOO_LARGE',
    `payload too large: the body is over the limit of ${limit} bytes (raise options.maxBodyBytes if this is expected)`,
  );
}
