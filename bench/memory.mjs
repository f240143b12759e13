// Wasm linear memory after the first verification and after 1,000,000 verifications of 1 KiB
// bodies (strings and bytes, one-shot and with a Verifier), in a fresh Node process. Prints JSON.
import * as api from 'elenik-webhooks';
import { SECRET, encoder, eventBody } from './fixtures.mjs';

// The glue the package's entry already instantiated (reached through its test hook, a symbol-keyed
// static of Verifier): initSync() hands back the running instance's exports.
const glue = api.Verifier[Symbol.for('elenik-webhooks.glue')];
const memory = glue.initSync().memory;

const text = eventBody(1024);
const bytes = encoder.encode(text);
const header = api.sign(text, SECRET);
const verifier = new api.Verifier(SECRET);
const calls = [
  () => verifier.verify(bytes, header),
  () => verifier.verify(text, header),
  () => api.verify(bytes, header, SECRET),
  () => api.verify(text, header, SECRET),
];
const total = 1_000_000;
if (!calls[0]()) throw new Error('the first verification failed');
const afterFirst = memory.buffer.byteLength;
let ok = 1;
for (let i = 1; i < total; i++) if (calls[i % calls.length]()) ok++;
if (ok !== total) throw new Error(`only ${ok} of ${total} verified`);
const afterAll = memory.buffer.byteLength;
console.log(JSON.stringify({ verifications: total, afterFirst, afterAll, growth: afterAll - afterFirst }));
