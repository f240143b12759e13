// The queue message (the `queue` option): a small, versioned plain object that every engine
// stores as it is (BullMQ's job.data is JSON, Cloudflare Queues and Deno KV use structured clone).
//
//   { v: 1, key, event, signature, body, encoding, receivedAt }
//
// `body` holds the request body's exact bytes: as its UTF-8 text with encoding 'utf8' (readable
// in a failed set; every body the core accepts is UTF-8), else base64 with encoding 'base64'
// (kept for bytes that are not, and read from producers of the user's own).
// `signature` is the signature header as received; `key` the delivery key; `event` the event
// type; `receivedAt` milliseconds since the epoch. The consumer trusts none of it: it verifies
// body and signature again, and takes the key from the verified body.
import { SIGNATURE_HEADER } from '../core/constants.js';

export const MESSAGE_VERSION = 1;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The message for a verified delivery. */
export function toMessage(delivery, receivedAt) {
  const { body, encoding } = encodeBody(delivery.payload);
  return {
    v: MESSAGE_VERSION,
    key: delivery.context.deliveryKey, // without a guard, hashed here
    event: delivery.type,
    signature: signatureText(delivery.headers),
    body,
    encoding,
    receivedAt,
  };
}

function encodeBody(payload) {
  if (typeof payload === 'string') return { body: payload, encoding: 'utf8' };
  const bytes = ArrayBuffer.isView(payload)
    ? new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)
    : new Uint8Array(payload);
  try {
    return { body: utf8.decode(bytes), encoding: 'utf8' };
  } catch {
    return { body: toBase64(bytes), encoding: 'base64' };
  }
}

/**
 * The payload and signature header of a message, or a reason it is not a message this version
 * reads: { payload, signature } or { malformed: reason } or { unsupported: version }.
 */
export function fromMessage(message) {
  if (message === null || typeof message !== 'object') return { malformed: 'not an object' };
  if (message.v !== MESSAGE_VERSION) {
    // A newer producer's message: left for a consumer that reads it, not settled here.
    if (Number.isInteger(message.v) && message.v > MESSAGE_VERSION) return { unsupported: message.v };
    return { malformed: `unknown version ${JSON.stringify(message.v)}` };
  }
  const { body, encoding, signature } = message;
  if (typeof body !== 'string') return { malformed: 'body is not a string' };
  if (typeof signature !== 'string') return { malformed: 'signature is not a string' };
  if (encoding === 'utf8') return { payload: body, signature };
  if (encoding === 'base64') {
    try {
      return { payload: fromBase64(body), signature };
    } catch {
      return { malformed: 'body is not base64' };
    }
  }
  return { malformed: `unknown encoding ${JSON.stringify(encoding)}` };
}

/** The signature header's text, from what the request path verified it with. */
function signatureText(headers) {
  if (typeof headers === 'string') return headers;
  if (Array.isArray(headers)) return headers.join(',');
  if (headers === null || typeof headers !== 'object') return '';
  let value;
  if (typeof headers.get === 'function') value = headers.get(SIGNATURE_HEADER);
  else {
    const name = Object.keys(headers).find((k) => k.toLowerCase() === SIGNATURE_HEADER);
    value = name === undefined ? undefined : headers[name];
  }
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'string' ? value : '';
}

function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
