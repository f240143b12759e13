// The JS test suite, run against the installed package once through `import` (api.test.mjs)
// and once through `require` (require.test.cjs).
'use strict';
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const { createHmac } = require('node:crypto');
const vectors = require('./vectors.cjs');

const SECRET = 'suite-secret';
const BODY = '{"event":"task_complete","data":{"task_id":"abc123","status":"completed","created_at":1689824400}}';
const nodeSign = (payload, secret) => 'sha256=' + createHmac('sha256', secret).update(payload).digest('hex');

function run(api, via) {
  const { verify, sign, constructEvent, parseEvent, Verifier, verifyRequest, WebhookVerificationError } = api;

  const expectError = (fn, code) =>
    assert.throws(fn, (error) => {
      assert.ok(error instanceof WebhookVerificationError, 'instanceof WebhookVerificationError');
      assert.ok(error instanceof Error, 'instanceof Error');
      assert.equal(error.name, 'WebhookVerificationError');
      assert.equal(error.code, code, error.message);
      assert.ok(!error.message.includes(SECRET), 'message must not contain the secret');
      assert.ok(!error.message.includes(nodeSign(BODY, SECRET).slice(7)), 'nor the expected signature');
      return true;
    });
  const expectRejection = async (promise, code) => {
    await assert.rejects(promise, (error) => error instanceof WebhookVerificationError && error.code === code);
  };

  describe(`elenik-webhooks via ${via}`, () => {
    test('exports exactly the documented API', () => {
      assert.deepEqual(Object.keys(api).filter((k) => k !== 'default' && k !== 'module.exports').sort(), [
        'DEFAULT_MAX_BODY_BYTES', 'ERROR_CODES', 'EVENT_TYPES', 'ElenikDedupe', 'SIGNATURE_HEADER', 'Verifier',
        'WebhookVerificationError', 'bullmqQueue', 'cloudflareQueue', 'constructEvent', 'createReceiver', 'deliveryKey',
        'denoKvQueue', 'denoKvStore', 'durableObjectStore', 'explainMismatch', 'memoryStore', 'parseEvent', 'redisStore',
        'sign', 'verify', 'verifyRequest',
      ]);
      assert.equal(api.SIGNATURE_HEADER, 'x-elenik-signature');
      assert.deepEqual([...api.EVENT_TYPES], ['task_complete', 'payment_verified', 'user_signup', 'subscription_paid']);
      assert.equal(api.ERROR_CODES.length, 9);
      assert.ok(Object.isFrozen(api.EVENT_TYPES));
    });

    test('RFC 4231 vectors (keys as Uint8Array)', () => {
      for (const v of vectors.rfc4231.vectors) {
        const key = new Uint8Array(Buffer.from(v.key_hex, 'hex'));
        const data = new Uint8Array(Buffer.from(v.data_hex, 'hex'));
        const digest = sign(data, key).slice('sha256='.length);
        assert.equal(digest.slice(0, v.mac_hex.length), v.mac_hex, v.name);
      }
    });

    test('signature vectors: sign matches node:crypto, verify accepts them, tampering fails', () => {
      for (const v of vectors.signatures.vectors) {
        const payload = vectors.bytes(v, 'payload');
        const secret = new Uint8Array(vectors.bytes(v, 'secret'));
        assert.equal(sign(payload, secret), v.header, v.name);
        assert.equal(sign(payload, secret), nodeSign(payload, secret), v.name);
        assert.equal(verify(payload, v.header, secret), true, v.name);
        if (v.payload_utf8 !== undefined) {
          assert.equal(verify(v.payload_utf8, v.header, v.secret_utf8 ?? secret), true, `${v.name} (string)`);
        }
        assert.equal(verify(Buffer.concat([payload, Buffer.from(' ')]), v.header, secret), false, v.name);
      }
    });

    test('header vectors', () => {
      const h = vectors.headers;
      const sig = nodeSign(h.payload, h.secret).slice(7);
      const verifier = new Verifier(h.secret);
      for (const v of h.vectors) {
        const header = vectors.expandHeader(v, sig, h.other);
        const outcome = verifier.tryVerify(h.payload, header);
        assert.equal(outcome.ok ? 'valid' : outcome.code, v.expect, v.name);
        assert.equal(verify(h.payload, header, h.secret), v.expect === 'valid', v.name);
      }
    });

    test('event vectors: valid events deep-equal JSON.parse, invalid ones name their code and path', () => {
      for (const v of vectors.events.valid) {
        assert.deepEqual(parseEvent(v.body), JSON.parse(v.body), v.name);
        assert.deepEqual(constructEvent(Buffer.from(v.body), nodeSign(v.body, SECRET), SECRET), JSON.parse(v.body), v.name);
      }
      for (const v of vectors.events.invalid) {
        const body = vectors.invalidEventBody(v);
        expectError(() => parseEvent(body), v.code);
        try {
          parseEvent(body);
        } catch (error) {
          if (v.path) assert.ok(error.message.includes('`' + v.path + '`'), `${v.name}: ${error.message}`);
        }
        // Verification comes first: a bad event with a good signature is an event error.
        expectError(() => constructEvent(body, nodeSign(body, SECRET), SECRET), v.code);
      }
    });

    test('every payload kind: string, Buffer, Uint8Array, ArrayBuffer, DataView, other views', () => {
      const header = nodeSign(BODY, SECRET);
      const buf = Buffer.from(BODY);
      const padded = new Uint8Array(buf.length + 3);
      padded.set(buf, 1);
      const ab = new Uint8Array(buf).buffer;
      for (const payload of [BODY, buf, new Uint8Array(buf), ab, new DataView(padded.buffer, 1, buf.length), padded.subarray(1, 1 + buf.length)]) {
        assert.equal(verify(payload, header, SECRET), true, Object.prototype.toString.call(payload));
      }
      assert.equal(verify(padded, header, SECRET), false, 'a view is exactly its bytes');
      if (buf.length % 2 === 0) assert.equal(verify(new Uint16Array(ab), header, SECRET), true);
      for (const bad of [JSON.parse(BODY), 42, null, undefined, true, [1, 2]]) {
        expectError(() => verify(bad, header, SECRET), 'INVALID_PAYLOAD');
      }
      try {
        verify(JSON.parse(BODY), header, SECRET);
      } catch (error) {
        assert.match(error.message, /raw/);
        assert.match(error.message, /express\.raw/);
      }
    });

    test('every header kind: string, string[], Headers, Node headers object', () => {
      const header = nodeSign(BODY, SECRET);
      assert.equal(verify(BODY, header, SECRET), true);
      assert.equal(verify(BODY, ['sha1=00', header], SECRET), true);
      assert.equal(verify(BODY, new Headers({ 'X-Elenik-Signature': header }), SECRET), true);
      assert.equal(verify(BODY, { 'x-elenik-signature': header, 'content-type': 'application/json' }, SECRET), true);
      assert.equal(verify(BODY, { 'X-Elenik-Signature': [header] }, SECRET), true);
      for (const missing of [undefined, null, {}, new Headers(), '']) {
        assert.equal(verify(BODY, missing, SECRET), false);
        expectError(() => constructEvent(BODY, missing, SECRET), 'MISSING_SIGNATURE');
      }
    });

    test('secrets: string, Uint8Array, arrays for rotation; bad ones are INVALID_SECRET', () => {
      const header = nodeSign(BODY, SECRET);
      assert.equal(verify(BODY, header, Buffer.from(SECRET)), true);
      assert.equal(verify(BODY, header, ['older', SECRET]), true);
      assert.equal(verify(BODY, header, ['older', 'oldest']), false);
      for (const bad of ['', new Uint8Array(0), [], Array(17).fill('s'), 42, null, undefined, {}, ['ok', '']]) {
        expectError(() => verify(BODY, header, bad), 'INVALID_SECRET');
      }
      assert.equal(verify(BODY, header, Array(16).fill(SECRET)), true, '16 secrets are allowed');
    });

    test('every error code is reachable through constructEvent or verifyRequest', async () => {
      const good = nodeSign(BODY, SECRET);
      expectError(() => constructEvent(BODY, undefined, SECRET), 'MISSING_SIGNATURE');
      expectError(() => constructEvent(BODY, 'sha256=xyz', SECRET), 'MALFORMED_SIGNATURE');
      expectError(() => constructEvent(BODY, good.replace('sha256', 'sha1'), SECRET), 'UNSUPPORTED_ALGORITHM');
      expectError(() => constructEvent(BODY + ' ', good, SECRET), 'SIGNATURE_MISMATCH');
      expectError(() => constructEvent({}, good, SECRET), 'INVALID_PAYLOAD');
      expectError(() => constructEvent(BODY, good, ''), 'INVALID_SECRET');
      expectError(() => constructEvent('{', nodeSign('{', SECRET), SECRET), 'INVALID_JSON');
      expectError(() => constructEvent('{"event":1,"data":{}}', nodeSign('{"event":1,"data":{}}', SECRET), SECRET), 'INVALID_EVENT');
      const big = new Request('http://127.0.0.1/', { method: 'POST', body: BODY, headers: { 'x-elenik-signature': good } });
      await expectRejection(verifyRequest(big, SECRET, { maxBodyBytes: 10 }), 'PAYLOAD_TOO_LARGE');
      const seen = new Set(api.ERROR_CODES);
      assert.equal(seen.size, 9);
    });

    test('error.status is the HTTP answer for each code', async () => {
      const good = nodeSign(BODY, SECRET);
      const thrown = (fn) => {
        try {
          fn();
        } catch (error) {
          return error;
        }
        assert.fail('should throw');
      };
      const big = new Request('http://127.0.0.1/', { method: 'POST', body: BODY, headers: { 'x-elenik-signature': good } });
      const cases = [
        [thrown(() => constructEvent(BODY, undefined, SECRET)), 401],
        [thrown(() => constructEvent(BODY, 'sha256=xyz', SECRET)), 401],
        [thrown(() => constructEvent(BODY, good.replace('sha256', 'sha1'), SECRET)), 401],
        [thrown(() => constructEvent(BODY + ' ', good, SECRET)), 401],
        [thrown(() => parseEvent('{')), 400],
        [thrown(() => parseEvent('{"event":1,"data":{}}')), 400],
        [await verifyRequest(big, SECRET, { maxBodyBytes: 10 }).catch((error) => error), 413],
        [thrown(() => constructEvent({}, good, SECRET)), 500],
        [thrown(() => constructEvent(BODY, good, '')), 500],
      ];
      assert.deepEqual(cases.map(([error]) => error.code).sort(), [...api.ERROR_CODES].sort(), 'one case per code');
      for (const [error, status] of cases) assert.equal(error.status, status, error.code);
      assert.equal(new WebhookVerificationError('INVALID_EVENT', 'made by hand').status, 400);
      assert.ok(!Object.keys(cases[0][0]).includes('status'), 'a getter, not an own property');
    });

    test('the mismatch message tells the user what to check', () => {
      try {
        constructEvent(JSON.stringify(JSON.parse(BODY), null, 2), nodeSign(BODY, SECRET), SECRET);
        assert.fail('should throw');
      } catch (error) {
        assert.equal(error.code, 'SIGNATURE_MISMATCH');
        assert.match(error.message, /raw request body/);
      }
    });

    test('non-UTF-8 bodies verify, and a 1 MiB body round-trips', () => {
      const raw = Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0xc3]);
      assert.equal(verify(raw, nodeSign(raw, SECRET), SECRET), true);
      expectError(() => constructEvent(raw, nodeSign(raw, SECRET), SECRET), 'INVALID_JSON');
      const data = { task_id: 't', status: 'x'.repeat(1024 * 1024 - 100), created_at: 1 };
      const large = JSON.stringify({ event: 'task_complete', data });
      assert.ok(Buffer.byteLength(large) > 1024 * 1024 - 100);
      assert.equal(verify(large, nodeSign(large, SECRET), SECRET), true);
      assert.deepEqual(constructEvent(Buffer.from(large), sign(large, SECRET), SECRET), JSON.parse(large));
    });

    test('string payloads hash as UTF-8', () => {
      const text = '{"event":"user_signup","data":{"user_id":"ü🚀"}}';
      assert.equal(sign(text, SECRET), nodeSign(Buffer.from(text, 'utf8'), SECRET));
      assert.equal(sign(text, 'clé'), nodeSign(text, Buffer.from('clé', 'utf8')));
    });

    test('Verifier: precomputed, rotation, tryVerify, sign, free and Symbol.dispose', () => {
      const verifier = new Verifier(['previous-secret', SECRET]);
      assert.equal(verifier.secretCount, 2);
      assert.equal(verifier.verify(BODY, nodeSign(BODY, SECRET)), true);
      assert.deepEqual(verifier.tryVerify(BODY, nodeSign(BODY, SECRET)), { ok: true, secretIndex: 1 });
      assert.deepEqual(verifier.tryVerify(BODY, nodeSign(BODY, 'previous-secret')), { ok: true, secretIndex: 0 });
      const failed = verifier.tryVerify(BODY, 'sha256=00');
      assert.equal(failed.ok, false);
      assert.equal(failed.code, 'MALFORMED_SIGNATURE');
      assert.equal(typeof failed.message, 'string');
      assert.equal(verifier.tryVerify({}, 'x').code, 'INVALID_PAYLOAD', 'tryVerify does not throw');
      assert.equal(verifier.sign(BODY), nodeSign(BODY, 'previous-secret'));
      assert.deepEqual(verifier.constructEvent(BODY, nodeSign(BODY, SECRET)), JSON.parse(BODY));
      expectError(() => verifier.constructEvent(BODY, nodeSign(BODY, 'wrong')), 'SIGNATURE_MISMATCH');
      expectError(() => new Verifier([]), 'INVALID_SECRET');
      verifier.free();
      assert.throws(() => verifier.verify(BODY, nodeSign(BODY, SECRET)), 'a freed verifier cannot be used');
      const disposable = new Verifier(SECRET);
      assert.equal(typeof disposable[Symbol.dispose], 'function');
      disposable[Symbol.dispose]();
      assert.throws(() => disposable.verify(BODY, nodeSign(BODY, SECRET)));
    });

    test('verifyRequest reads a fetch Request once, as bytes', async () => {
      const header = nodeSign(BODY, SECRET);
      const request = () => new Request('http://127.0.0.1/hook', { method: 'POST', body: BODY, headers: { 'X-Elenik-Signature': header } });
      assert.deepEqual(await verifyRequest(request(), SECRET), JSON.parse(BODY));
      assert.deepEqual(await verifyRequest(request(), new Verifier(['x', SECRET])), JSON.parse(BODY));
      const used = request();
      await used.text();
      await expectRejection(verifyRequest(used, SECRET), 'INVALID_PAYLOAD');
      await expectRejection(verifyRequest(request(), 'wrong'), 'SIGNATURE_MISMATCH');
      const unsigned = new Request('http://127.0.0.1/hook', { method: 'POST', body: BODY });
      await expectRejection(verifyRequest(unsigned, SECRET), 'MISSING_SIGNATURE');
      const declaredTooBig = new Request('http://127.0.0.1/hook', {
        method: 'POST', body: BODY, headers: { 'content-length': String(2 * 1024 * 1024), 'x-elenik-signature': header },
      });
      await expectRejection(verifyRequest(declaredTooBig, SECRET), 'PAYLOAD_TOO_LARGE');
      const exactly = await verifyRequest(request(), SECRET, { maxBodyBytes: Buffer.byteLength(BODY) });
      assert.deepEqual(exactly, JSON.parse(BODY), 'a body of exactly maxBodyBytes is accepted');
      await expectRejection(verifyRequest(request(), SECRET, { maxBodyBytes: Buffer.byteLength(BODY) - 1 }), 'PAYLOAD_TOO_LARGE');
      // A streamed body over the default 1 MiB is cut off while reading.
      const chunk = new Uint8Array(64 * 1024);
      let sent = 0;
      const stream = new ReadableStream({
        pull(controller) {
          sent += chunk.length;
          if (sent > 2 * 1024 * 1024) controller.close();
          else controller.enqueue(chunk);
        },
      });
      const streamed = new Request('http://127.0.0.1/hook', { method: 'POST', body: stream, duplex: 'half', headers: { 'x-elenik-signature': header } });
      await expectRejection(verifyRequest(streamed, SECRET), 'PAYLOAD_TOO_LARGE');
      assert.ok(sent <= 1024 * 1024 + 2 * chunk.length, 'stopped reading soon after the limit');
      await expectRejection(verifyRequest({ headers: {} }, SECRET), 'INVALID_PAYLOAD');
    });

    test('deliveryKey is the hex SHA-256 of the raw bytes, the same for a string and its UTF-8 bytes', () => {
      const { createHash } = require('node:crypto');
      const { deliveryKey } = api;
      const expected = createHash('sha256').update(BODY).digest('hex');
      assert.equal(deliveryKey(BODY), expected);
      assert.equal(deliveryKey(Buffer.from(BODY)), expected);
      assert.equal(deliveryKey(new TextEncoder().encode(BODY).buffer), expected);
      assert.equal(deliveryKey(''), createHash('sha256').update('').digest('hex'));
      // A retry signed with a rotated secret is the same delivery.
      assert.equal(deliveryKey(BODY), deliveryKey(Buffer.from(BODY)));
      assert.notEqual(deliveryKey(BODY), deliveryKey(BODY + ' '));
      expectError(() => deliveryKey({ event: 'task_complete' }), 'INVALID_PAYLOAD');
    });

    test('a WebhookVerificationError can be made and branched on by users', () => {
      const error = new WebhookVerificationError('SIGNATURE_MISMATCH', 'custom');
      assert.ok(error instanceof WebhookVerificationError);
      assert.ok(error instanceof Error);
      assert.equal(error.code, 'SIGNATURE_MISMATCH');
      assert.ok(!(new Error('plain') instanceof WebhookVerificationError));
    });

    test('bad input leaves the module working', () => {
      for (const bad of [{}, null, Symbol.iterator, 10n]) {
        try {
          verify(bad, 'x', SECRET);
        } catch {}
        try {
          parseEvent(bad);
        } catch {}
      }
      try {
        parseEvent('['.repeat(100000));
      } catch {}
      assert.equal(verify(BODY, nodeSign(BODY, SECRET), SECRET), true);
    });
  });
}

module.exports = { run };
