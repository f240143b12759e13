// The package's one crossing into Wasm. Each input is read once, here, and written into Wasm
// memory: a payload by one `set` (bytes) or one `encodeInto` (a string), in pieces of CHUNK bytes
// when it is larger, so hashing needs no memory that grows with the body; the signature header as text
// already bounded to MAX_HEADER_BYTES (a longer one is refused without being copied); secrets as bytes. Then
// one export of the Rust core (src/bindings/) is called with numbers, and its answer (a number,
// and text in its `out` buffer) is turned back into a value or a WebhookVerificationError. The
// module imports nothing from JS, so the core never calls back into JS.
//
// Two rules make hostile values harmless:
// - Bytes are found through the built-in getters, captured when the package loads, so a
//   subclass, a Proxy or an own getter cannot lie about a buffer's length or offset, and a
//   detached, shrunk or out-of-bounds view reads as no bytes instead of throwing.
// - Anything that can run the caller's code (a Proxy trap, a getter) runs in a `try`, before any
//   Wasm call, and a throw means "no such value": it becomes a typed error, never a half-done call.
//
// A Verifier's key state (the HMAC inner and outer SHA-256 states as sha2 serializes them, KEY_STATE bytes per secret) lives
// in a private Uint8Array of its own, written into Wasm memory for each call and wiped there by
// the core before the call returns; free() zeroes it. Abandoned Verifiers cost Wasm nothing.
//
// The glue instantiates the Wasm itself, when it loads. `#wasm` is this runtime's Wasm, resolved
// by scripts/bundle-pkg.mjs when it bundles each runtime's entry into one file: a precompiled
// module on Workers and edge hosts, bytes carried inline elsewhere. So nothing that calls into the
// Wasm can run before the instance exists, whatever a consumer's bundler prunes or reorders.
import wasmSource from '#wasm';
// The numbers this glue shares with the core are generated from it (scripts/pkg-constants.mjs),
// never written here: tests/js/abi.test.mjs fails if one is.
import {
  CHUNK,
  ERROR_CODES,
  HEADER_MISSING,
  HEADER_PARSED,
  HEADER_TOO_LONG,
  KEY_STATE,
  MAX_HEADER_BYTES,
  MAX_SECRETS,
  SIGNATURE_HEADER,
} from './constants.js';
import { WebhookVerificationError } from './error.js';

// Built-ins captured at load, before any caller code runs.
const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayTag = getter(TypedArrayPrototype, Symbol.toStringTag);
const typedArrayBuffer = getter(TypedArrayPrototype, 'buffer');
const typedArrayOffset = getter(TypedArrayPrototype, 'byteOffset');
const typedArrayLength = getter(TypedArrayPrototype, 'byteLength');
const dataViewBuffer = getter(DataView.prototype, 'buffer');
const dataViewOffset = getter(DataView.prototype, 'byteOffset');
const dataViewLength = getter(DataView.prototype, 'byteLength');
const arrayBufferLength = getter(ArrayBuffer.prototype, 'byteLength');
const { isView } = ArrayBuffer;
const { isArray } = Array;
const { hasOwn, keys: objectKeys } = Object;
const { apply } = Reflect;
const stringValueOf = String.prototype.valueOf;
const objectToString = Object.prototype.toString;
const U8 = Uint8Array;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const { parse } = JSON;

let wasm; // the instance's exports
let memory; // Uint8Array over Wasm memory, renewed when memory grows
let DATA; // the data buffer (moves only when `data()` grows it)
let HEADER; // the header buffer, MAX_HEADER_BYTES + room for one more item
let KEYS; // the key-state slots
let dataPiece; // memory[DATA, DATA + CHUNK), renewed with memory or DATA
let headerArea; // memory[HEADER, HEADER + 3 * MAX_HEADER_BYTES): a string header's UTF-8 at most

/**
 * A new instance's exports, from a `WebAssembly.Module` of any realm (webpack's server sandbox and
 * edge runtimes hand over their own, for which `instanceof WebAssembly.Module` is false) or the
 * .wasm bytes. The module imports nothing.
 */
export function instantiate(source) {
  const module = Object.prototype.toString.call(source) === '[object WebAssembly.Module]' ? source : new WebAssembly.Module(source);
  return new WebAssembly.Instance(module, {}).exports;
}

/**
 * Instantiates the Wasm, once: the glue calls `initSync({ module })` with #wasm when it loads (a
 * `WebAssembly.Module` of any realm, or the bytes); every later call returns the running
 * instance's exports.
 */
export function initSync(options) {
  if (wasm) return wasm;
  const exports = instantiate(options?.module ?? options);
  wasm = exports;
  HEADER = exports.header();
  KEYS = exports.keys();
  DATA = exports.data(CHUNK);
  memory = undefined;
  return exports;
}

function mem() {
  if (memory === undefined || memory.byteLength === 0) {
    memory = new U8(wasm.memory.buffer);
    dataPiece = memory.subarray(DATA, DATA + CHUNK);
    headerArea = memory.subarray(HEADER, HEADER + 3 * MAX_HEADER_BYTES);
  }
  return memory;
}

/** `data()` with room for `capacity` bytes; the views follow when the buffer moves. */
function reserve(capacity) {
  const at = wasm.data(capacity);
  if (at !== DATA) {
    DATA = at;
    memory = undefined;
  }
  return at;
}

/** The text the last call left in `out`. */
function out() {
  const at = wasm.out();
  return decoder.decode(mem().subarray(at, at + wasm.out_len()));
}

/** The error for a negative answer of the core. */
function failure(answer) {
  return new WebhookVerificationError(ERROR_CODES[-1 - answer], out());
}

// The inputs the glue refuses itself, before any Wasm call, with the codes the core's table gives
// such errors (their messages are written here, once; the core never sees these values).

/** INVALID_PAYLOAD: a payload that is neither a string nor bytes. */
function notAPayload(value) {
  const kind = value === null ? 'null' : typeof value === 'object' ? 'an object (probably already parsed JSON)' : `a ${typeof value}`;
  return new WebhookVerificationError(
    'INVALID_PAYLOAD',
    `invalid payload: got ${kind}; pass the raw request body as a string, Buffer, Uint8Array or ArrayBuffer ` +
      "(Express: express.raw({ type: 'application/json' }); fetch: await request.arrayBuffer())",
  );
}

/** INVALID_SECRET: a secret that is neither a string nor a Uint8Array. */
const notASecret = () =>
  new WebhookVerificationError(
    'INVALID_SECRET',
    'invalid secret: pass the endpoint secret as a non-empty string or Uint8Array, or an array of them',
  );

/** INVALID_SECRET: explainMismatch (diagnose.js) was given an array of secrets. */
const notOneSecret = () =>
  new WebhookVerificationError(
    'INVALID_SECRET',
    'invalid secret: explainMismatch takes one secret; call it once per secret you rotate through',
  );

/** INVALID_JSON: the body the core validated, which JSON.parse still refused. */
const notParsed = () => new WebhookVerificationError('INVALID_JSON', 'invalid JSON: the body could not be parsed by JSON.parse');

// Reading the caller's values.

const over = (buffer, offset, length) => (length === 0 ? new U8(0) : new U8(buffer, offset, length));

function viewBytes(view) {
  if (typedArrayTag.call(view) !== undefined) {
    // A typed array: detached or out of bounds, it reports 0 bytes.
    return over(typedArrayBuffer.call(view), typedArrayOffset.call(view), typedArrayLength.call(view));
  }
  try {
    return over(dataViewBuffer.call(view), dataViewOffset.call(view), dataViewLength.call(view));
  } catch {
    return new U8(0); // a DataView's getters throw once it is detached or out of bounds
  }
}

/** A plain Uint8Array over exactly the bytes of an ArrayBuffer or any view; undefined for anything else. */
function bytesOf(value) {
  try {
    if (isView(value)) return viewBytes(value);
    return over(value, 0, arrayBufferLength.call(value)); // throws unless a real (non-shared) ArrayBuffer
  } catch {
    return undefined;
  }
}

/** The bytes of a real Uint8Array (Buffer included, any realm); undefined for anything else. */
function uint8ArrayBytes(value) {
  try {
    return isView(value) && typedArrayTag.call(value) === 'Uint8Array' ? viewBytes(value) : undefined;
  } catch {
    return undefined;
  }
}

/** A plain copy of an array with at most `max` items; its length if longer; undefined if not an array (or it throws). */
function itemsOf(value, max) {
  try {
    if (!isArray(value)) return undefined;
    const length = value.length;
    if (!(length <= max)) return typeof length === 'number' ? length : Infinity;
    const items = [];
    for (let i = 0; i < length; i += 1) items.push(value[i]);
    return items;
  } catch {
    return undefined;
  }
}

/** A String object (any realm). Only what is tagged as one is tried: a throw is costly. */
const isStringObject = (value) => {
  if (objectToString.call(value) !== '[object String]') return false;
  try {
    stringValueOf.call(value); // throws unless value is a String object
    return true;
  } catch {
    return false;
  }
};

/** A payload: the string itself, or a plain Uint8Array over its bytes. */
function payloadOf(value) {
  if (typeof value === 'string') return value;
  const bytes = bytesOf(value);
  if (bytes === undefined) throw notAPayload(value);
  return bytes;
}

/** A secret: a string, or a plain Uint8Array over its bytes. */
function secretOf(value) {
  if (typeof value === 'string') return value;
  const bytes = uint8ArrayBytes(value);
  if (bytes === undefined) throw notASecret();
  return bytes;
}

/** One secret or an array of them, read; too many (the core's rule, secret_count) throws. */
function secretsOf(value) {
  const items = itemsOf(value, MAX_SECRETS);
  if (typeof items === 'number') throw failure(wasm.secret_count(items < 2 ** 32 ? items : 2 ** 32 - 1)); // a u32 in Wasm
  return items === undefined ? [secretOf(value)] : items.map(secretOf);
}

const NAME = SIGNATURE_HEADER;
/** `key` equals the header name, ASCII case-insensitively (as HTTP header names compare). */
function isHeaderName(key) {
  if (typeof key !== 'string' || key.length !== NAME.length) return false;
  for (let i = 0; i < NAME.length; i += 1) {
    let c = key.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== NAME.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Writes the signature header's text into the header buffer: from a string, a string[] (its
 * items joined by commas), a `Headers`-like object with `get`, or a plain (Node-style) headers
 * object looked up case-insensitively. Returns its length in bytes, HEADER_MISSING, or
 * HEADER_TOO_LONG (over MAX_HEADER_BYTES: refused without copying the rest).
 */
function writeHeader(value) {
  if (typeof value === 'string') {
    if (value.length > MAX_HEADER_BYTES) return HEADER_TOO_LONG;
    mem();
    const { written } = encoder.encodeInto(value, headerArea);
    return written > MAX_HEADER_BYTES ? HEADER_TOO_LONG : written;
  }
  if (value === null || typeof value !== 'object') return HEADER_MISSING;
  const items = itemsOf(value, MAX_HEADER_BYTES + 1);
  if (items !== undefined) return writeHeaderItems(items);
  let found;
  try {
    let get;
    try {
      get = value.get;
    } catch {
      get = undefined;
    }
    if (typeof get === 'function') {
      found = apply(get, value, [NAME]);
    } else if (hasOwn(value, NAME)) {
      found = value[NAME]; // Node.js's headers have lower-case names: read directly, no search
    } else {
      const names = isView(value) || isStringObject(value) ? [] : objectKeys(value);
      const name = names.find(isHeaderName);
      if (name === undefined) return HEADER_MISSING;
      found = value[name];
    }
  } catch {
    return HEADER_MISSING;
  }
  const values = itemsOf(found, MAX_HEADER_BYTES + 1);
  if (values !== undefined) return writeHeaderItems(values);
  return typeof found === 'string' ? writeHeaderItems([found]) : HEADER_MISSING;
}

/** A string[] header: several signatures, joined by commas (empty items add none). */
function writeHeaderItems(items) {
  if (typeof items === 'number') return HEADER_TOO_LONG; // more items than a header has bytes
  const buffer = mem();
  let length = 0;
  for (const item of items) {
    if (typeof item !== 'string') return HEADER_MISSING;
    if (item.length > MAX_HEADER_BYTES) return HEADER_TOO_LONG; // UTF-8 is never shorter than UTF-16
    if (length > 0) buffer[HEADER + length++] = 44; // ','
    // At most MAX_HEADER_BYTES + 1 bytes are there and one item takes at most 3 bytes per unit:
    // it fits in HEADER_CAPACITY.
    length += encoder.encodeInto(item, buffer.subarray(HEADER + length, HEADER + length + 3 * item.length)).written;
    if (length > MAX_HEADER_BYTES) return HEADER_TOO_LONG;
  }
  return length;
}

/** Parses the header in the core; a negative answer is its error. */
function parseHeader(header) {
  return wasm.signatures(writeHeader(header));
}

// Writing payloads and secrets into Wasm memory.

/** Writes a whole payload (or secret) at `data[offset..]`; returns its length in bytes. */
function writeWhole(value, offset = 0) {
  const bytes = typeof value === 'string' ? -1 : typedArrayLength.call(value); // 0 once detached or out of bounds
  const capacity = bytes < 0 ? 3 * value.length : bytes;
  if (offset === 0 && capacity <= CHUNK) {
    // Fits the first piece, which `data` always has: no call into Wasm, no new view.
    mem();
    if (bytes < 0) return encoder.encodeInto(value, dataPiece).written;
    if (bytes > 0) dataPiece.set(value);
    return bytes;
  }
  reserve(offset + capacity);
  const buffer = mem();
  if (bytes < 0) return encoder.encodeInto(value, buffer.subarray(DATA + offset, DATA + offset + capacity)).written;
  buffer.set(value, DATA + offset);
  return bytes;
}

/** Feeds a payload of any size to the HMACs (or SHA-256) the core began, CHUNK bytes at a time. */
function feed(payload) {
  if (typeof payload !== 'string') {
    for (let at = 0; at < payload.length; at += CHUNK) {
      const piece = payload.subarray(at, at + CHUNK);
      mem().set(piece, DATA);
      wasm.update(piece.length);
    }
    return;
  }
  const end = payload.length;
  let at = 0;
  while (at < end) {
    let stop = Math.min(end, at + CHUNK);
    // Never split a surrogate pair between two pieces (it would hash as two U+FFFD).
    const last = payload.charCodeAt(stop - 1);
    if (stop < end && last >= 0xd800 && last <= 0xdbff) stop -= 1;
    mem();
    const { read, written } = encoder.encodeInto(payload.slice(at, stop), dataPiece);
    wasm.update(written);
    at += read;
  }
}

/**
 * A payload to write: what payloadOf reads, except that a Uint8Array (Buffer included) stays the
 * caller's own object, so no view is made for it (bench/NOTES.md, Issue 9, speed, has its cost).
 * writeSmall and writeWhole read it only through the built-in length getter and `set`, which read
 * a typed array's internal slots, never its own properties.
 */
function writablePayload(payload) {
  return typedArrayTag.call(payload) === 'Uint8Array' ? payload : payloadOf(payload);
}

/** Writes the payload if it fits in one piece; its length, or -1 when it must be fed. */
function writeSmall(payload) {
  if (typeof payload === 'string') {
    if (payload.length > CHUNK / 3) return -1;
    mem();
    return encoder.encodeInto(payload, dataPiece).written;
  }
  const length = typedArrayLength.call(payload); // 0 once detached or out of bounds
  if (length > CHUNK) return -1;
  const buffer = mem();
  if (length > 0) buffer.set(payload, DATA);
  return length;
}

/**
 * Derives the key state of each secret into the core's key slots (the secret bytes are wiped
 * there once used). Returns the number of secrets; throws INVALID_SECRET.
 */
function deriveKeys(secrets) {
  const checked = wasm.secret_count(secrets.length);
  if (checked < 0) throw failure(checked);
  for (let slot = 0; slot < secrets.length; slot += 1) {
    const derived = wasm.derive(writeWhole(secrets[slot]), slot);
    if (derived < 0) {
      wasm.wipe();
      throw failure(derived);
    }
  }
  return secrets.length;
}

/**
 * Verifies `payload` with the `count` key states in the key slots (written by deriveKeys or
 * `keys`), which the core wipes. Returns the matching secret's index, or a negative answer (the
 * header's or the signature's error). Throws INVALID_PAYLOAD, after wiping the key slots.
 */
function check(count, payload, header, keys) {
  let value;
  let headerLength;
  try {
    value = writablePayload(payload);
    headerLength = writeHeader(header);
  } catch (error) {
    if (!keys) wasm.wipe();
    throw error;
  }
  const length = writeSmall(value);
  if (length >= 0) {
    // One call: the core parses the header, then hashes (or wipes the key slots on a bad header).
    if (keys) memory.set(keys, KEYS); // writeSmall renewed `memory`
    return wasm.verify(count, length, headerLength);
  }
  const parsed = wasm.signatures(headerLength);
  if (parsed < 0) {
    if (!keys) wasm.wipe();
    return parsed;
  }
  if (keys) mem().set(keys, KEYS);
  wasm.begin(count);
  feed(typeof value === 'string' ? value : viewBytes(value));
  return wasm.finish_verify();
}

/**
 * Verify then parse: the event object, or throws. `count` 0 skips verification (parseEvent). With
 * `withKey`, the core also hashes the body's delivery key in the same call (verify_event: one copy
 * of the body, two hash states), which `lastKey` then holds.
 */
function event(count, payload, header, keys, withKey = false) {
  let value;
  let headerLength;
  try {
    value = writablePayload(payload);
  } catch (error) {
    if (count > 0 && !keys) wasm.wipe();
    throw error;
  }
  if (count > 0) headerLength = writeHeader(header);
  const length = writeWhole(value);
  let answer;
  if (count > 0) {
    if (keys) mem().set(keys, KEYS);
    answer = wasm.verify_event(count, length, headerLength, withKey ? 1 : 0);
  } else {
    answer = wasm.validate_event(length);
  }
  if (answer < 0) throw failure(answer);
  if (withKey) lastKey = out();
  // The core checked the bytes are UTF-8 JSON; JSON.parse builds the object faster than Wasm could.
  const text = typeof value === 'string' ? value : decoder.decode(mem().subarray(DATA, DATA + length));
  try {
    return parse(text);
  } catch {
    throw notParsed();
  }
}

/** The delivery key the last event(…, withKey) computed, for verifyDelivery. */
let lastKey = null;

/** Ends the core's HMAC of the first key: `sha256=<hex>`. */
function signed(payload) {
  wasm.begin(1);
  feed(payload);
  wasm.finish_sign();
  return out();
}

// The public API.

/** Whether `header` is a valid signature of `payload` with `secret` (or any of several). */
export function verify(payload, header, secret) {
  return check(deriveKeys(secretsOf(secret)), payload, header) >= 0;
}

/** Verifies, then parses and validates the event. */
export function constructEvent(payload, header, secret) {
  return event(deriveKeys(secretsOf(secret)), payload, header);
}

/** Parses and validates the event without verifying its signature. */
export function parseEvent(payload) {
  return event(0, payload);
}

/** The header value `sha256=<hex>` for `payload` signed with `secret`. */
export function sign(payload, secret) {
  const value = payloadOf(payload);
  deriveKeys([secretOf(secret)]);
  return signed(value);
}

/** The delivery key of `payload`: its lowercase hex SHA-256. */
export function deliveryKey(payload) {
  const value = payloadOf(payload);
  wasm.begin(0);
  feed(value);
  wasm.finish_digest();
  return out();
}

/**
 * For diagnose.js (explainMismatch): its inputs read as every export reads them, in the same order
 * (one secret, the payload, the header), the secret checked by the core, and the header parsed by
 * it, so that `hmacMatches` can try variants against the parsed signatures.
 */
export function diagnosisInputs(payload, header, secret) {
  if (itemsOf(secret, 0) !== undefined) throw notOneSecret();
  const key = secretOf(secret);
  const value = payloadOf(payload);
  const headerLength = writeHeader(header);
  const text = headerLength > 0 ? decoder.decode(mem().subarray(HEADER, HEADER + headerLength)) : '';
  const secretBytes = typeof key === 'string' ? encoder.encode(key) : key.slice();
  const derived = wasm.derive(writeWhole(secretBytes), 0);
  if (derived < 0) throw failure(derived);
  wasm.wipe();
  const parsed = wasm.signatures(headerLength);
  return {
    secret: secretBytes,
    payload: typeof value === 'string' ? encoder.encode(value) : value.slice(),
    text: typeof value === 'string' ? value : undefined,
    header: text,
    problem: parsed < 0 ? failure(parsed) : undefined,
  };
}

/** Whether the HMAC of `body` with `secret` (bytes) is one of the signatures diagnosisInputs parsed. */
export function hmacMatches(secret, body) {
  const derived = wasm.derive(writeWhole(secret), 0);
  if (derived < 0) return false; // an empty variant
  const length = writeSmall(body);
  if (length >= 0) return wasm.verify(1, length, HEADER_PARSED) >= 0;
  wasm.begin(1);
  feed(body);
  return wasm.finish_verify() >= 0;
}

/**
 * For the receiver (receiver/steps.js), not part of the API: `{ event, key }`, the event of
 * `verifier.constructEvent(payload, header)` and, with `withKey`, the body's delivery key (what
 * `deliveryKey(payload)` answers; else null), both from one call into Wasm over one copy of the
 * body. Throws as constructEvent does.
 */
export function verifyDelivery(verifier, payload, header, withKey) {
  lastKey = null;
  const parsed = verifierEvent(verifier, payload, header, withKey);
  return { event: parsed, key: lastKey };
}

let verifierEvent; // set by Verifier's static block: it reads the private key state

const freed = () => new TypeError('this Verifier was freed; create a new one');
// A Verifier collected without free(): its key state is zeroed too (it never was in Wasm memory).
// Workers on older compatibility dates (2024-01-01 in the runtime matrix) have no FinalizationRegistry.
const wipeOnCollect = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((keys) => keys.fill(0)) : undefined;

/** Verifies with one or more secrets whose HMAC key state is computed once. */
export class Verifier {
  #keys;
  #count;

  static {
    verifierEvent = (verifier, payload, header, withKey) => {
      const keys = Verifier.#live(verifier);
      return event(verifier.#count, payload, header, keys, withKey);
    };
  }

  /** One secret, or an array of 1 to 16 (during rotation any may match). */
  constructor(secrets) {
    const count = deriveKeys(secretsOf(secrets));
    this.#keys = mem().slice(KEYS, KEYS + count * KEY_STATE);
    this.#count = count;
    wasm.wipe();
    wipeOnCollect?.register(this, this.#keys, this);
  }

  /** The key state, or a TypeError once freed (or for an object that is no Verifier). */
  static #live(verifier) {
    const keys = verifier !== null && typeof verifier === 'object' && #keys in verifier ? verifier.#keys : null;
    if (keys === null) throw freed();
    return keys;
  }

  /** How many secrets this verifier tries. */
  get secretCount() {
    Verifier.#live(this);
    return this.#count;
  }

  /** Whether `header` is a valid signature of `payload`. */
  verify(payload, header) {
    const keys = Verifier.#live(this);
    return check(this.#count, payload, header, keys) >= 0;
  }

  /** Verifies, then parses and validates the event. */
  constructEvent(payload, header) {
    const keys = Verifier.#live(this);
    return event(this.#count, payload, header, keys);
  }

  /** `{ ok: true, secretIndex }` or `{ ok: false, code, message }`; never throws. */
  tryVerify(payload, header) {
    const keys = Verifier.#live(this);
    let answer;
    try {
      answer = check(this.#count, payload, header, keys);
    } catch (error) {
      return { ok: false, code: error.code, message: error.message };
    }
    if (answer >= 0) return { ok: true, secretIndex: answer };
    const error = failure(answer);
    return { ok: false, code: error.code, message: error.message };
  }

  /** The header value `sha256=<hex>` for `payload`, signed with the first secret. */
  sign(payload) {
    const keys = Verifier.#live(this);
    const value = payloadOf(payload);
    mem().set(keys.subarray(0, KEY_STATE), KEYS);
    return signed(value);
  }

  /** Zeroes the key state; the Verifier throws a TypeError from then on. A second call does nothing. */
  free() {
    if (this === null || typeof this !== 'object' || !(#keys in this) || this.#keys === null) return;
    this.#keys.fill(0);
    wipeOnCollect?.unregister(this);
    this.#keys = null;
  }
}

if (Symbol.dispose) {
  Object.defineProperty(Verifier.prototype, Symbol.dispose, { value: Verifier.prototype.free, writable: true, configurable: true });
}

initSync({ module: wasmSource });

// The package's own tests and benchmarks read the running instance's memory (the memory budgets,
// the secrets scan) and instantiate a second one (tests/js/glue.test.mjs). Each entry is a single
// file, so they reach the glue through this symbol-keyed, non-enumerable static rather than an
// export. It is not part of the API and not in the types.
Object.defineProperty(Verifier, Symbol.for('elenik-webhooks.glue'), { value: Object.freeze({ initSync, instantiate }) });
