// What the receiver reads from its inputs before the core sees them.

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
