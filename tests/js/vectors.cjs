// Reads the shared vector files (tests/vectors/*.json, copied next to this file by
// scripts/test-js.sh) and expands them with tests/vectors/expand.mjs.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, 'vectors');
const load = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));

// The expansion rules live with the data, shared with the runtime matrix (Node 20.19+ requires ESM).
const { bytesOf, expandHeader, invalidEventBody } = require('./vectors/expand.mjs');

module.exports = {
  rfc4231: load('rfc4231.json'),
  signatures: load('signatures.json'),
  headers: load('headers.json'),
  events: load('events.json'),
  bytes: bytesOf,
  expandHeader,
  invalidEventBody,
};
