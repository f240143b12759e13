// Reads the caller's values for the Wasm side (src/bindings/mod.rs imports these with `catch`).
//
// Two rules make hostile values harmless:
// - Bytes are found through the built-in getters, captured when the package loads, so a
//   subclass, a Proxy or an own getter cannot lie about a buffer's length or offset, and a
//   detached, shrunk or out-of-bounds view reads as no bytes instead of throwing.
// - Anything that can run the caller's code (a Proxy trap, a getter) runs here, where a throw is
//   caught by wasm-bindgen and becomes a typed error, instead of unwinding through Wasm frames
//   (which leaks the Wasm stack and, repeated, breaks the instance).
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
const { keys } = Object;
const stringValueOf = String.prototype.valueOf;
const U8 = Uint8Array;

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
export function bytesOf(value) {
  if (isView(value)) return viewBytes(value);
  let length;
  try {
    length = arrayBufferLength.call(value); // throws unless value is a real (non-shared) ArrayBuffer
  } catch {
    return undefined;
  }
  return over(value, 0, length);
}

/** The bytes of a real Uint8Array (Buffer included, any realm); undefined for anything else. */
export function uint8ArrayBytes(value) {
  return isView(value) && typedArrayTag.call(value) === 'Uint8Array' ? viewBytes(value) : undefined;
}

/** A plain copy of an array with at most `max` items; its length if longer; undefined if not an array. */
export function itemsOf(value, max) {
  if (!isArray(value)) return undefined;
  const length = value.length;
  if (!(length <= max)) return typeof length === 'number' ? length : Infinity;
  const items = [];
  for (let i = 0; i < length; i += 1) items.push(value[i]);
  return items;
}

const isStringObject = (value) => {
  try {
    stringValueOf.call(value); // throws unless value is a String object (any realm)
    return true;
  } catch {
    return false;
  }
};

/**
 * The keys to search for a header name: Object.keys, where a throwing Proxy trap is caught. A
 * typed array or a String object is no headers map, and listing its every index would take
 * seconds for a large one, so it has none.
 */
export function ownKeys(value) {
  return isView(value) || isStringObject(value) ? [] : keys(value);
}
