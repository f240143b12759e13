// Every limit through the installed package, at and just past its bound (tests/limits.rs checks
// the core), and a trigger for every error code.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import {
  constructEvent, DEFAULT_MAX_BODY_BYTES, ERROR_CODES, parseEvent, sign, verify, verifyRequest, Verifier,
  WebhookVerificationError, SIGNATURE_HEADER,
} from 'elenik-webhooks';

const SECRET = 'limits-secret';
const BODY = '{"event":"user_signup","data":{"user_id":"u_limits"}}';
const GOOD = `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`;
const OTHER = `sha256=${'ab'.repeat(32)}`;
const pad = (length, header) => ' '.repeat(length - header.length) + header;
const rejects = (code) => (error) => error instanceof WebhookVerificationError && error.code === code;
/** A valid event nesting `depth` levels in all: the root object, `data`, then arrays. */
const nested = (depth) => `{"event":"deep","data":{"a":${'['.repeat(depth - 2)}${']'.repeat(depth - 2)}}}`;
/** A valid event of exactly `size` bytes. */
const eventOfSize = (size) => {
  const shell = '{"event":"big","data":{"pad":""}}';
  return shell.replace('""', `"${'x'.repeat(size - shell.length)}"`);
};

test('header: 4096 bytes pass, 4097 do not, in every form a header takes', () => {
  for (const [length, expected] of [[4096, true], [4097, false]]) {
    const text = pad(length, GOOD);
    assert.equal(Buffer.byteLength(text), length);
    assert.equal(verify(BODY, text, SECRET), expected, `string of ${length}`);
    assert.equal(verify(BODY, { [SIGNATURE_HEADER]: text }, SECRET), expected, `Node headers of ${length}`);
    assert.equal(verify(BODY, new Headers({ [SIGNATURE_HEADER]: GOOD + ','.repeat(length - GOOD.length) }), SECRET), expected, `Headers of ${length}`);
    // A string[] counts its joining commas.
    const parts = [GOOD, ' '.repeat(length - GOOD.length - 1)];
    assert.equal(parts.join(',').length, length);
    assert.equal(verify(BODY, parts, SECRET), expected, `string[] joined to ${length}`);
  }
  // Bytes, not UTF-16 units: 4095 ASCII bytes and one two-byte character are over the limit.
  assert.equal(verify(BODY, `${pad(4095, GOOD)}é`, SECRET), false);
  assert.equal(new Verifier(SECRET).tryVerify(BODY, pad(4097, GOOD)).code, 'MALFORMED_SIGNATURE');
});

test('signatures: 8 pass, 9 do not, even with the good one first', () => {
  const eight = [...Array(7).fill(OTHER), GOOD];
  assert.equal(verify(BODY, eight.join(','), SECRET), true);
  assert.equal(verify(BODY, eight, SECRET), true);
  const nine = [GOOD, ...Array(8).fill(OTHER)];
  assert.equal(verify(BODY, nine.join(','), SECRET), false);
  assert.equal(verify(BODY, nine, SECRET), false);
  assert.throws(() => constructEvent(BODY, nine.join(','), SECRET), rejects('MALFORMED_SIGNATURE'));
});

test('secrets: 16 pass, 17 do not', () => {
  const sixteen = [...Array.from({ length: 15 }, (_, i) => `old-${i}`), SECRET];
  const verifier = new Verifier(sixteen);
  assert.equal(verifier.secretCount, 16);
  assert.deepEqual(verifier.tryVerify(BODY, GOOD), { ok: true, secretIndex: 15 });
  verifier.free();
  assert.equal(verify(BODY, GOOD, sixteen), true);
  const seventeen = [...sixteen, 'one-too-many'];
  assert.throws(() => new Verifier(seventeen), rejects('INVALID_SECRET'));
  assert.throws(() => verify(BODY, GOOD, seventeen), rejects('INVALID_SECRET'));
});

test('JSON: 127 levels of nesting pass, 128 do not (serde_json\'s limit), 10,000 fail cleanly', () => {
  assert.deepEqual(parseEvent(nested(127)), JSON.parse(nested(127)));
  assert.throws(() => parseEvent(nested(128)), rejects('INVALID_JSON'));
  const deep = nested(128);
  assert.throws(() => constructEvent(deep, sign(deep, SECRET), SECRET), rejects('INVALID_JSON'));
  assert.throws(() => parseEvent('['.repeat(10_000) + ']'.repeat(10_000)), rejects('INVALID_JSON'));
  assert.throws(() => parseEvent('{"a":'.repeat(10_000)), rejects('INVALID_JSON'));
});

test('maxBodyBytes: a body of exactly the limit passes, one byte more does not', async () => {
  const request = (body, init = {}) => new Request('http://127.0.0.1/', {
    method: 'POST', body, headers: { [SIGNATURE_HEADER]: sign(body, SECRET), ...init.headers }, ...init.rest,
  });
  // A stream without content-length, so the limit is enforced while reading.
  const streamed = (body) => ({
    headers: new Headers({ [SIGNATURE_HEADER]: sign(body, SECRET) }),
    bodyUsed: false,
    body: new Blob([body]).stream(),
  });
  for (const limit of [100, 4096]) {
    const at = eventOfSize(limit);
    const past = eventOfSize(limit + 1);
    assert.equal(Buffer.byteLength(at), limit);
    assert.equal((await verifyRequest(request(at), SECRET, { maxBodyBytes: limit })).event, 'big');
    await assert.rejects(verifyRequest(request(past), SECRET, { maxBodyBytes: limit }), rejects('PAYLOAD_TOO_LARGE'));
    assert.equal((await verifyRequest(streamed(at), SECRET, { maxBodyBytes: limit })).event, 'big');
    await assert.rejects(verifyRequest(streamed(past), SECRET, { maxBodyBytes: limit }), rejects('PAYLOAD_TOO_LARGE'));
  }
  assert.equal(DEFAULT_MAX_BODY_BYTES, 1024 * 1024);
  const atDefault = eventOfSize(DEFAULT_MAX_BODY_BYTES);
  assert.equal((await verifyRequest(request(atDefault), SECRET)).event, 'big');
  assert.equal((await verifyRequest(streamed(atDefault), SECRET)).event, 'big');
  await assert.rejects(verifyRequest(request(eventOfSize(DEFAULT_MAX_BODY_BYTES + 1)), SECRET), rejects('PAYLOAD_TOO_LARGE'));
  await assert.rejects(verifyRequest(streamed(eventOfSize(DEFAULT_MAX_BODY_BYTES + 1)), SECRET), rejects('PAYLOAD_TOO_LARGE'));
  for (const bad of [-1, 1.5, NaN, '10', 2 ** 53]) {
    await assert.rejects(verifyRequest(request(BODY), SECRET, { maxBodyBytes: bad }), RangeError, String(bad));
  }
});

test('every error code has a trigger, and its message names neither secret nor signature', async () => {
  const signed = (body) => [body, sign(body, SECRET), SECRET];
  const triggers = {
    MISSING_SIGNATURE: () => constructEvent(BODY, undefined, SECRET),
    MALFORMED_SIGNATURE: () => constructEvent(BODY, 'sha256=abc', SECRET),
    UNSUPPORTED_ALGORITHM: () => constructEvent(BODY, `sha1=${'ab'.repeat(20)}`, SECRET),
    SIGNATURE_MISMATCH: () => constructEvent(BODY, OTHER, SECRET),
    INVALID_PAYLOAD: () => constructEvent(JSON.parse(BODY), GOOD, SECRET),
    INVALID_SECRET: () => constructEvent(BODY, GOOD, ''),
    PAYLOAD_TOO_LARGE: () => verifyRequest(new Request('http://127.0.0.1/', { method: 'POST', body: BODY, headers: { [SIGNATURE_HEADER]: GOOD } }), SECRET, { maxBodyBytes: 10 }),
    INVALID_JSON: () => constructEvent(...signed('{"event":"a","event":"b","data":{}}')),
    INVALID_EVENT: () => constructEvent(...signed('{"event":"payment_verified","data":{"user_id":"u","amount":"1","currency":"USD"}}')),
  };
  assert.deepEqual(Object.keys(triggers).sort(), [...ERROR_CODES].sort());
  for (const [code, trigger] of Object.entries(triggers)) {
    let error;
    try {
      await trigger();
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof WebhookVerificationError, `${code}: ${error}`);
    assert.equal(error.code, code);
    assert.ok(!error.message.includes(SECRET) && !error.message.includes(GOOD.slice(7)), code);
  }
});
