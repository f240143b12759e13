// How the vector files are read: one runtime-neutral ES module (no Node APIs), shared by the JS
// suite (tests/js/vectors.cjs) and the runtime matrix (tests/runtimes/check.mjs). tests/vectors.rs
// reads the same files the same way in Rust.

const encoder = new TextEncoder();

export const fromHex = (hex) => {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
};

/** The bytes of a signature vector's `payload` or `secret`, given as `<kind>_utf8` or `<kind>_hex`. */
export const bytesOf = (v, kind) =>
  v[`${kind}_utf8`] !== undefined ? encoder.encode(v[`${kind}_utf8`]) : fromHex(v[`${kind}_hex`]);

/**
 * A header vector's header: `{sig}` is the valid signature's hex, `{SIG}` the same in upper case,
 * `{sig_short}` it without its first digit, `{other}` a well-formed wrong one; `header_repeat`
 * joins repeated parts with commas, `header_pad` left-pads with spaces to a length.
 */
export function expandHeader(v, sig, other) {
  const fill = (t) =>
    t
      .replaceAll('{sig_short}', sig.slice(1))
      .replaceAll('{sig}', sig)
      .replaceAll('{SIG}', sig.toUpperCase())
      .replaceAll('{other}', other);
  if (v.header !== undefined) return fill(v.header);
  if (v.header_repeat) {
    const r = v.header_repeat;
    return [...(r.first ? [fill(r.first)] : []), ...Array(r.times).fill(fill(r.part)), ...(r.then ? [fill(r.then)] : [])].join(',');
  }
  const header = fill(v.header_pad.header);
  return ' '.repeat(v.header_pad.to - header.length) + header;
}

/** An invalid event vector's body: text, hex bytes, or `body_nested` levels of arrays. */
export function invalidEventBody(v) {
  if (v.body !== undefined) return v.body;
  if (v.body_hex !== undefined) return fromHex(v.body_hex);
  return '['.repeat(v.body_nested) + ']'.repeat(v.body_nested);
}
