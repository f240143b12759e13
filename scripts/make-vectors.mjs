// Writes tests/vectors/signatures.json: payloads and secrets with the signature Node.js's own
// crypto.createHmac gives for them, an implementation independent of this crate's.
// Run: node scripts/make-vectors.mjs
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const cases = [
  { name: 'empty body', payload_utf8: '', secret_utf8: 'whsec_test' },
  {
    name: 'task_complete event',
    payload_utf8:
      '{"event":"task_complete","data":{"task_id":"abc123","status":"completed","created_at":1689824400},"signature":"ignored"}',
    secret_utf8: 'elenik-endpoint-secret',
  },
  {
    name: 'payment_verified event, pretty-printed with CRLF line ends',
    payload_utf8:
      '{\r\n  "event": "payment_verified",\r\n  "data": {"user_id": "u_123", "amount": 49.99, "currency": "USD"}\r\n}\r\n',
    secret_utf8: 'elenik-endpoint-secret',
  },
  {
    name: 'non-ASCII text (UTF-8) in body and secret',
    payload_utf8: '{"event":"user_signup","data":{"user_id":"u_ü","name":"Zoë 🚀 日本"}}',
    secret_utf8: 'sécret-🔑',
  },
  {
    name: 'body that is not UTF-8 (raw bytes still verify)',
    payload_hex: 'ff00fe7b226576656e74223a2278227dc3',
    secret_utf8: 'bytes-secret',
  },
  {
    name: 'binary secret given as bytes',
    payload_utf8: '{"event":"subscription_paid","data":{"plan":"pro"}}',
    secret_hex: '00ff10203040506070808f9fafbfcfdfeffa',
  },
  {
    name: 'secret longer than the SHA-256 block (hashed first, RFC 2104)',
    payload_utf8: '{"event":"x","data":{}}',
    secret_utf8: 'k'.repeat(100),
  },
];

const bytes = (c, kind) =>
  c[`${kind}_hex`] !== undefined
    ? Buffer.from(c[`${kind}_hex`], 'hex')
    : Buffer.from(c[`${kind}_utf8`], 'utf8');

const vectors = cases.map((c) => ({
  ...c,
  header: 'sha256=' + createHmac('sha256', bytes(c, 'secret')).update(bytes(c, 'payload')).digest('hex'),
}));

writeFileSync(
  new URL('../tests/vectors/signatures.json', import.meta.url),
  JSON.stringify(
    {
      source: 'computed by scripts/make-vectors.mjs with Node.js crypto.createHmac (OpenSSL), independent of this crate',
      vectors,
    },
    null,
    2,
  ) + '\n',
);
