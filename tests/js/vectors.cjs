// Reads the shared vector files (tests/vectors/*.json, copied next to this file by
// scripts/test-js.sh) and expands them the way tests/vectors.rs does.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, 'vectors');
const load = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));

const bytes = (v, kind) =>
  v[`${kind}_utf8`] !== undefined ? Buffer.from(v[`${kind}_utf8`], 'utf8') : Buffer.from(v[`${kind}_hex`], 'hex');

function expandHeader(v, sig, other) {
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

function invalidEventBody(v) {
  if (v.body !== undefined) return v.body;
  if (v.body_hex !== undefined) return Buffer.from(v.body_hex, 'hex');
  return '['.repeat(v.body_nested) + ']'.repeat(v.body_nested);
}

module.exports = {
  rfc4231: load('rfc4231.json'),
  signatures: load('signatures.json'),
  headers: load('headers.json'),
  events: load('events.json'),
  bytes,
  expandHeader,
  invalidEventBody,
};
