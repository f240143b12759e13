// The Node comparison: this package against what a user would write or install instead, every
// case checked for the right answer before it is timed.
import { createHmac, timingSafeEqual, webcrypto } from 'node:crypto';
import { Buffer } from 'node:buffer';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { verify as octokitVerify } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import * as api from 'elenik-webhooks';
import { SECRET, encoder, eventBody } from './fixtures.mjs';

const subtle = webcrypto.subtle;
const secretBytes = encoder.encode(SECRET);
const stripPrefix = (header) => (header.startsWith('sha256=') ? header.slice(7) : header);

// The five-line alternative.
function nodeCryptoVerify(body, header, secret) {
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(stripPrefix(header), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function nobleVerify(bytes, header, key) {
  const expected = hmac(sha256, key, bytes);
  const given = hexToBytes(stripPrefix(header));
  if (given.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < given.length; i++) diff |= given[i] ^ expected[i];
  return diff === 0;
}

const hmacParams = { name: 'HMAC', hash: 'SHA-256' };
const importKey = () => subtle.importKey('raw', secretBytes, hmacParams, false, ['verify']);
const subtleVerify = (key, bytes, header) => subtle.verify('HMAC', key, hexToBytes(stripPrefix(header)), bytes);

// What a careful user writes without this package: JSON.parse and the same envelope and field
// checks. It cannot see duplicate keys (JSON.parse keeps the last), which parseEvent refuses.
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const fatalDecoder = new TextDecoder('utf-8', { fatal: true });
function handParse(body) {
  const event = JSON.parse(typeof body === 'string' ? body : fatalDecoder.decode(body));
  if (!isObject(event)) throw new Error('(root) must be a JSON object');
  if (typeof event.event !== 'string' || event.event === '') throw new Error('event must be a non-empty string');
  const data = event.data;
  if (!isObject(data)) throw new Error('data must be an object');
  const id = (name) => {
    if (typeof data[name] !== 'string' || data[name] === '') throw new Error(`data.${name} must be a non-empty string`);
  };
  switch (event.event) {
    case 'task_complete':
      id('task_id');
      if (typeof data.status !== 'string') throw new Error('data.status must be a string');
      if (!Number.isSafeInteger(data.created_at) || data.created_at < 0) throw new Error('data.created_at');
      break;
    case 'payment_verified':
      id('user_id');
      if (typeof data.amount !== 'number' || !Number.isFinite(data.amount)) throw new Error('data.amount');
      if (typeof data.currency !== 'string' || !/^[A-Z]{3}$/.test(data.currency)) throw new Error('data.currency');
      break;
    case 'user_signup':
      id('user_id');
      break;
  }
  return event;
}

/** A request's headers as node:http gives them: lower-case names, the signature among the others. */
const nodeHeaders = (signature) => ({
  host: '127.0.0.1:3000',
  'user-agent': 'Elenik-Webhooks/1.0',
  'content-type': 'application/json',
  'content-length': '1024',
  'x-elenik-signature': signature,
  'x-elenik-event': 'payment_verified',
  'accept-encoding': 'gzip',
  connection: 'keep-alive',
});

// Every implementation for one body size: [implementation, body kind, fn, async?].
export async function nodeCases(size) {
  const text = eventBody(size);
  const bytes = encoder.encode(text);
  const buffer = Buffer.from(bytes);
  const header = api.sign(text, SECRET);
  const verifier = new api.Verifier(SECRET);
  const reqHeaders = nodeHeaders(header);
  const key = await importKey();
  const swh = new Webhook(Buffer.from(SECRET).toString('base64'));
  const swhHeaders = () => {
    const id = 'msg_bench';
    const timestamp = Math.floor(Date.now() / 1000);
    return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': swh.sign(id, new Date(timestamp * 1000), text) };
  };
  const both = (name, fn, isAsync = false) => [
    [name, 'string', () => fn(text), isAsync],
    [name, 'bytes', () => fn(bytes), isAsync],
  ];
  return [
    ...both('verify', (body) => api.verify(body, header, SECRET)),
    ...both('Verifier.verify', (body) => verifier.verify(body, header)),
    ...both('constructEvent', (body) => api.constructEvent(body, header, SECRET)),
    ...both('parseEvent', (body) => api.parseEvent(body)),
    // What an Express route passes: the signature inside node:http's headers object.
    ['constructEvent, node:http headers', 'bytes', () => verifier.constructEvent(buffer, reqHeaders)],
    ...both('node:crypto createHmac', (body) => nodeCryptoVerify(body, header, SECRET)),
    ...both('WebCrypto verify (imported key)', (body) => subtleVerify(key, typeof body === 'string' ? encoder.encode(body) : body, header), true),
    ...both('WebCrypto importKey + verify', async (body) => subtleVerify(await importKey(), typeof body === 'string' ? encoder.encode(body) : body, header), true),
    ...both('@noble/hashes hmac', (body) => nobleVerify(typeof body === 'string' ? encoder.encode(body) : body, header, secretBytes)),
    // Octokit takes only strings.
    ['@octokit/webhooks-methods verify', 'string', () => octokitVerify(SECRET, text, header), true],
    // standardwebhooks takes a string or a Buffer; it signs `id.timestamp.body`, and its headers
    // carry a timestamp it checks against the clock, so they are made fresh for each case.
    ['standardwebhooks Webhook.verify', 'string', ((h) => () => swh.verify(text, h, { jsonParse: false }) === undefined)(swhHeaders()), false],
    ['standardwebhooks Webhook.verify', 'bytes', ((h) => () => swh.verify(buffer, h, { jsonParse: false }) === undefined)(swhHeaders()), false],
    ...both('JSON.parse + hand validation', (body) => handParse(body)),
    ...both('createHmac + JSON.parse + hand validation', (body) => nodeCryptoVerify(body, header, SECRET) && handParse(body)),
  ];
}

// Every case must give the right answer before its time means anything: a valid signature
// verifies, a tampered one does not, and parsed events equal JSON.parse of the body.
export async function checkCases(size) {
  const text = eventBody(size);
  const wrong = api.sign(text + ' ', SECRET);
  if (api.verify(text, wrong, SECRET) || nodeCryptoVerify(text, wrong, SECRET)) throw new Error('a wrong signature verified');
  if (nobleVerify(encoder.encode(text), wrong, secretBytes)) throw new Error('noble accepted a wrong signature');
  if (await subtleVerify(await importKey(), encoder.encode(text), wrong)) throw new Error('WebCrypto accepted a wrong signature');
  if (await octokitVerify(SECRET, text, wrong)) throw new Error('octokit accepted a wrong signature');
  const expected = JSON.stringify(JSON.parse(text));
  for (const [name, kind, fn, isAsync] of await nodeCases(size)) {
    const result = isAsync ? await fn() : fn();
    const ok = typeof result === 'object' ? JSON.stringify(result) === expected : result === true;
    if (!ok) throw new Error(`${name} (${kind}) at ${size} B gave ${String(result).slice(0, 80)}`);
  }
}
