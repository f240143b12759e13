// What the receiver reads from its inputs before the core sees them.
import { SIGNATURE_HEADER } from '../core/constants.js';

/**
 * At least the payload's size in bytes, exact when it matters: a string's UTF-8 length is only
 * counted when its length alone cannot settle it against the limit.
 */
export function byteLength(payload, limit) {
  if (typeof payload === 'string') {
    if (payload.length > limit) return payload.length;
    if (payload.length * 3 <= limit) return payload.length;
    return new TextEncoder().encode(payload).byteLength;
  }
  try {
    if (payload instanceof ArrayBuffer || ArrayBuffer.isView(payload)) return payload.byteLength;
  } catch {
    // A view of a detached buffer: constructEvent answers INVALID_PAYLOAD.
  }
  return 0; // not a payload at all: constructEvent answers INVALID_PAYLOAD
}

/**
 * The signature header. A Node.js headers object has lower-case names: its signature header is
 * read directly, which spares the core its case-insensitive search over every key. Anything else
 * goes to the core as it is. Headers that throw when read have no signature (401
 * MISSING_SIGNATURE), never a rejection.
 */
export function signatureOf(headers) {
  try {
    if (headers !== null && typeof headers === 'object' && !Array.isArray(headers) && !ArrayBuffer.isView(headers)) {
      if (typeof headers.get !== 'function' && Object.hasOwn(headers, SIGNATURE_HEADER)) {
        const value = headers[SIGNATURE_HEADER];
        if (typeof value === 'string') return value;
      }
    }
    return headers;
  } catch {
    return null;
  }
}
