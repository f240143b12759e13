// The one check every cell of the runtime matrix runs (Node, workerd, Deno, Bun, Chromium and
// the bundlers' outputs). Runtime-neutral ES module: no Node APIs, no file access. The caller
// passes the package's exports and the vector files as data; reference signatures come from
// WebCrypto, which every runtime here has, so they are independent of the package.
//
//   const result = await runCheck(api, vectors);  // vectors: { rfc4231, signatures, headers, events }
//   result = { ok, checks, failures: [{ name, message }], transcript }
//
// `transcript` lists every outcome (booleans, header values, error codes) in order, so the
// driver can also prove that all runtimes computed exactly the same results.

import { bytesOf, expandHeader, fromHex, invalidEventBody } from './expand.mjs';

const encoder = new TextEncoder();
const utf8 = (text) => encoder.encode(text);
const toHex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
const concat = (a, b) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
};

async function referenceSign(payload, secret) {
  const key = await crypto.subtle.importKey(
    'raw',
    typeof secret === 'string' ? utf8(secret) : secret,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, typeof payload === 'string' ? utf8(payload) : payload);
  return 'sha256=' + toHex(mac);
}

function deepEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
}

export async function runCheck(api, vectors) {
  const failures = [];
  const transcript = [];
  let checks = 0;
  const expect = (condition, name, message = 'expectation failed') => {
    checks++;
    if (!condition) failures.push({ name, message });
  };
  const record = (name, value) => transcript.push(`${name} => ${value}`);
  // Runs one case; an unexpected throw is a failure of that case, not of the whole check.
  const run = async (name, fn) => {
    try {
      await fn();
    } catch (error) {
      checks++;
      failures.push({ name, message: `threw ${error?.name}: ${error?.code ?? ''} ${error?.message}` });
    }
  };
  const { verify, sign, constructEvent, parseEvent, Verifier, verifyRequest, WebhookVerificationError } = api;
  const codesSeen = new Set();
  // Calls fn, expecting a WebhookVerificationError with `code`; returns the error (or undefined).
  const expectCode = (name, fn, code) => {
    let thrown;
    try {
      fn();
    } catch (error) {
      thrown = error;
    }
    const ok =
      thrown instanceof WebhookVerificationError &&
      thrown instanceof Error &&
      thrown.name === 'WebhookVerificationError' &&
      thrown.code === code;
    expect(ok, name, `expected ${code}, got ${thrown === undefined ? 'no error' : `${thrown?.name} ${thrown?.code}: ${thrown?.message}`}`);
    if (ok) codesSeen.add(code);
    record(name, thrown?.code ?? 'returned');
    return thrown;
  };
  const expectRejection = async (name, promise, code) => {
    let thrown;
    try {
      await promise;
    } catch (error) {
      thrown = error;
    }
    const ok = thrown instanceof WebhookVerificationError && thrown.code === code;
    expect(ok, name, `expected a rejection with ${code}, got ${thrown === undefined ? 'none' : `${thrown?.name} ${thrown?.code}`}`);
    if (ok) codesSeen.add(code);
    record(name, thrown?.code ?? 'resolved');
  };

  await run('exports', () => {
    for (const name of ['verify', 'sign', 'constructEvent', 'parseEvent', 'verifyRequest', 'Verifier', 'WebhookVerificationError']) {
      expect(typeof api[name] === 'function', `exports ${name}`, `${name} is ${typeof api[name]}`);
    }
    expect(api.SIGNATURE_HEADER === 'x-elenik-signature', 'SIGNATURE_HEADER');
    expect(
      deepEqual([...api.EVENT_TYPES], ['task_complete', 'payment_verified', 'user_signup', 'subscription_paid']),
      'EVENT_TYPES',
    );
    expect(api.ERROR_CODES.length === 9, 'ERROR_CODES has 9 codes');
    expect(api.DEFAULT_MAX_BODY_BYTES === 1024 * 1024, 'DEFAULT_MAX_BODY_BYTES');
  });

  await run('RFC 4231', () => {
    for (const v of vectors.rfc4231.vectors) {
      const mac = sign(fromHex(v.data_hex), fromHex(v.key_hex)).slice('sha256='.length);
      expect(mac.slice(0, v.mac_hex.length) === v.mac_hex, `RFC 4231 ${v.name}`, `got ${mac}`);
      record(`rfc4231 ${v.name}`, mac);
    }
  });

  await run('signature vectors', async () => {
    for (const v of vectors.signatures.vectors) {
      const payload = bytesOf(v, 'payload');
      const secret = bytesOf(v, 'secret');
      const reference = await referenceSign(payload, secret);
      expect(reference === v.header, `${v.name}: WebCrypto agrees with the vector file`);
      const signed = sign(payload, secret);
      expect(signed === v.header, `${v.name}: sign`, `got ${signed}`);
      record(`sign ${v.name}`, signed);
      expect(verify(payload, v.header, secret) === true, `${v.name}: verify`);
      expect(verify(payload.buffer, v.header, secret) === true, `${v.name}: verify(ArrayBuffer)`);
      if (v.payload_utf8 !== undefined && v.secret_utf8 !== undefined) {
        expect(verify(v.payload_utf8, v.header, v.secret_utf8) === true, `${v.name}: verify(string, string)`);
        expect(sign(v.payload_utf8, v.secret_utf8) === v.header, `${v.name}: sign(string, string)`);
      }
      const verifier = new Verifier(['not-this-one', secret]);
      const outcome = verifier.tryVerify(payload, v.header);
      expect(outcome.ok === true && outcome.secretIndex === 1, `${v.name}: Verifier.tryVerify`, JSON.stringify(outcome));
      expect(verifier.verify(payload, v.header) === true, `${v.name}: Verifier.verify`);
      // Tampered: one byte appended, or the first byte flipped.
      const appended = concat(payload, utf8(' '));
      const flipped = payload.slice();
      if (flipped.length > 0) flipped[0] ^= 1;
      expect(verify(appended, v.header, secret) === false, `${v.name}: tampered (appended) fails`);
      if (payload.length > 0) expect(verify(flipped, v.header, secret) === false, `${v.name}: tampered (flipped) fails`);
      expectCode(`${v.name}: constructEvent on a tampered body`, () => constructEvent(appended, v.header, secret), 'SIGNATURE_MISMATCH');
      expect(verifier.tryVerify(appended, v.header).code === 'SIGNATURE_MISMATCH', `${v.name}: tryVerify tampered`);
      verifier.free();
    }
  });

  await run('header vectors', async () => {
    const h = vectors.headers;
    const sig = (await referenceSign(h.payload, h.secret)).slice('sha256='.length);
    const verifier = new Verifier(h.secret);
    for (const v of h.vectors) {
      const header = expandHeader(v, sig, h.other);
      const outcome = verifier.tryVerify(h.payload, header);
      const got = outcome.ok ? 'valid' : outcome.code;
      expect(got === v.expect, `header ${v.name}: tryVerify`, `expected ${v.expect}, got ${got}`);
      expect(verify(h.payload, header, h.secret) === (v.expect === 'valid'), `header ${v.name}: verify`);
      expect(verifier.verify(h.payload, header) === (v.expect === 'valid'), `header ${v.name}: Verifier.verify`);
      record(`header ${v.name}`, got);
      if (v.expect === 'valid') {
        expect(deepEqual(constructEvent(h.payload, header, h.secret), JSON.parse(h.payload)), `header ${v.name}: constructEvent`);
      } else {
        expectCode(`header ${v.name}: constructEvent`, () => constructEvent(h.payload, header, h.secret), v.expect);
      }
    }
    verifier.free();
  });

  await run('event vectors', async () => {
    const secret = 'matrix-event-secret';
    const verifier = new Verifier(secret);
    for (const v of vectors.events.valid) {
      const header = await referenceSign(v.body, secret);
      const expected = JSON.parse(v.body);
      expect(deepEqual(parseEvent(v.body), expected), `event ${v.name}: parseEvent`);
      expect(deepEqual(parseEvent(utf8(v.body)), expected), `event ${v.name}: parseEvent(bytes)`);
      expect(deepEqual(constructEvent(utf8(v.body), header, secret), expected), `event ${v.name}: constructEvent`);
      expect(deepEqual(verifier.constructEvent(v.body, header), expected), `event ${v.name}: Verifier.constructEvent`);
      record(`event ${v.name}`, parseEvent(v.body).event);
    }
    for (const v of vectors.events.invalid) {
      const body = invalidEventBody(v);
      const header = await referenceSign(body, secret);
      const error = expectCode(`event ${v.name}: parseEvent`, () => parseEvent(body), v.code);
      if (v.path && error) {
        expect(error.message.includes('`' + v.path + '`'), `event ${v.name}: the message names ${v.path}`, error.message);
      }
      expectCode(`event ${v.name}: constructEvent`, () => constructEvent(body, header, secret), v.code);
      expectCode(`event ${v.name}: Verifier.constructEvent`, () => verifier.constructEvent(body, header), v.code);
    }
    verifier.free();
  });

  const SECRET = 'matrix-secret';
  const BODY = '{"event":"task_complete","data":{"task_id":"abc123","status":"completed","created_at":1689824400}}';

  await run('every error code', async () => {
    const good = await referenceSign(BODY, SECRET);
    expectCode('MISSING_SIGNATURE', () => constructEvent(BODY, undefined, SECRET), 'MISSING_SIGNATURE');
    expectCode('MALFORMED_SIGNATURE', () => constructEvent(BODY, 'sha256=xyz', SECRET), 'MALFORMED_SIGNATURE');
    expectCode('UNSUPPORTED_ALGORITHM', () => constructEvent(BODY, good.replace('sha256', 'sha512'), SECRET), 'UNSUPPORTED_ALGORITHM');
    expectCode('SIGNATURE_MISMATCH', () => constructEvent(BODY, good, 'other-secret'), 'SIGNATURE_MISMATCH');
    expectCode('INVALID_PAYLOAD (parsed object)', () => verify(JSON.parse(BODY), good, SECRET), 'INVALID_PAYLOAD');
    expectCode('INVALID_PAYLOAD (number)', () => sign(42, SECRET), 'INVALID_PAYLOAD');
    expectCode('INVALID_SECRET (empty)', () => verify(BODY, good, ''), 'INVALID_SECRET');
    expectCode('INVALID_SECRET (17 secrets)', () => new Verifier(Array(17).fill(SECRET)), 'INVALID_SECRET');
    expectCode('INVALID_JSON', () => parseEvent('{'), 'INVALID_JSON');
    expectCode('INVALID_EVENT', () => parseEvent('{"event":"task_complete","data":{}}'), 'INVALID_EVENT');
    const request = (body, headers) => new Request('http://127.0.0.1/hook', { method: 'POST', body, headers });
    await expectRejection(
      'PAYLOAD_TOO_LARGE (verifyRequest)',
      verifyRequest(request(BODY, { 'x-elenik-signature': good }), SECRET, { maxBodyBytes: 10 }),
      'PAYLOAD_TOO_LARGE',
    );
    const accepted = await verifyRequest(request(BODY, { 'X-Elenik-Signature': good }), new Verifier(['old', SECRET]));
    expect(deepEqual(accepted, JSON.parse(BODY)), 'verifyRequest accepts a signed Request');
    await expectRejection('verifyRequest unsigned', verifyRequest(request(BODY, {}), SECRET), 'MISSING_SIGNATURE');
    for (const code of api.ERROR_CODES) expect(codesSeen.has(code), `error code ${code} was produced`);
    const own = new WebhookVerificationError('SIGNATURE_MISMATCH', 'made by hand');
    expect(own instanceof WebhookVerificationError && own instanceof Error && own.code === 'SIGNATURE_MISMATCH', 'users can construct the error');
  });

  await run('input kinds', async () => {
    const good = await referenceSign(BODY, SECRET);
    const bytes = utf8(BODY);
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 1);
    const kinds = {
      string: BODY,
      Uint8Array: bytes,
      ArrayBuffer: bytes.slice().buffer,
      DataView: new DataView(padded.buffer, 1, bytes.length),
      subarray: padded.subarray(1, 1 + bytes.length),
    };
    for (const [kind, payload] of Object.entries(kinds)) expect(verify(payload, good, SECRET) === true, `payload as ${kind}`);
    expect(verify(padded, good, SECRET) === false, 'a view is exactly its bytes');
    expect(verify(BODY, new Headers({ 'X-Elenik-Signature': good }), SECRET) === true, 'header from Headers');
    expect(verify(BODY, { 'X-ELENIK-SIGNATURE': good }, SECRET) === true, 'header from a headers object');
    expect(verify(BODY, ['sha1=00', good], SECRET) === true, 'header as string[]');
    expect(verify(BODY, good, utf8(SECRET)) === true, 'secret as Uint8Array');
  });

  await run('non-UTF-8 body', async () => {
    const raw = new Uint8Array([0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28]);
    const header = await referenceSign(raw, SECRET);
    expect(sign(raw, SECRET) === header, 'non-UTF-8: sign');
    expect(verify(raw, header, SECRET) === true, 'non-UTF-8: verify');
    expect(new Verifier(SECRET).verify(raw, header) === true, 'non-UTF-8: Verifier.verify');
    expectCode('non-UTF-8: constructEvent is INVALID_JSON', () => constructEvent(raw, header, SECRET), 'INVALID_JSON');
    expectCode('non-UTF-8: parseEvent is INVALID_JSON', () => parseEvent(raw), 'INVALID_JSON');
    record('non-UTF-8 sign', sign(raw, SECRET));
  });

  await run('1 MiB body', async () => {
    const mib = 1024 * 1024;
    const prefix = '{"event":"task_complete","data":{"task_id":"big","status":"';
    const suffix = '","created_at":1}}';
    const large = prefix + 'x'.repeat(mib - prefix.length - suffix.length) + suffix;
    const bytes = utf8(large);
    expect(bytes.length === mib, '1 MiB body is exactly 1 MiB');
    const header = await referenceSign(bytes, SECRET);
    expect(sign(bytes, SECRET) === header, '1 MiB: sign');
    expect(verify(bytes, header, SECRET) === true, '1 MiB: verify');
    expect(new Verifier(SECRET).verify(large, header) === true, '1 MiB: Verifier.verify(string)');
    expect(deepEqual(constructEvent(bytes, header, SECRET), JSON.parse(large)), '1 MiB: constructEvent');
    expect(parseEvent(bytes).data.task_id === 'big', '1 MiB: parseEvent');
    const viaRequest = await verifyRequest(new Request('http://127.0.0.1/', { method: 'POST', body: bytes, headers: { 'x-elenik-signature': header } }), SECRET);
    expect(viaRequest.data.status.length === large.length - prefix.length - suffix.length, '1 MiB: verifyRequest at the default limit');
    const over = concat(bytes, utf8(' '));
    await expectRejection(
      '1 MiB + 1 byte: verifyRequest',
      verifyRequest(new Request('http://127.0.0.1/', { method: 'POST', body: over, headers: { 'x-elenik-signature': header } }), SECRET),
      'PAYLOAD_TOO_LARGE',
    );
    record('1 MiB sign', header);
  });

  await run('Verifier lifecycle', async () => {
    const verifier = new Verifier(['previous', SECRET]);
    expect(verifier.secretCount === 2, 'Verifier.secretCount');
    expect(verifier.sign(BODY) === (await referenceSign(BODY, 'previous')), 'Verifier.sign uses the first secret');
    const failed = verifier.tryVerify({}, 'x');
    expect(failed.ok === false && failed.code === 'INVALID_PAYLOAD', 'tryVerify never throws');
    verifier.free();
    let usedAfterFree = false;
    try {
      verifier.verify(BODY, 'sha256=00');
      usedAfterFree = true;
    } catch {}
    expect(!usedAfterFree, 'a freed Verifier cannot be used');
    if (typeof Symbol.dispose === 'symbol') {
      const disposable = new Verifier(SECRET);
      disposable[Symbol.dispose]();
      let usedAfterDispose = false;
      try {
        disposable.verify(BODY, 'sha256=00');
        usedAfterDispose = true;
      } catch {}
      expect(!usedAfterDispose, 'a disposed Verifier cannot be used');
    }
    // Bad input never leaves the module broken.
    for (const bad of [{}, null, 10n, Symbol.iterator]) {
      try {
        verify(bad, 'x', SECRET);
      } catch {}
    }
    expect(verify(BODY, await referenceSign(BODY, SECRET), SECRET) === true, 'still works after bad input');
  });

  return { ok: failures.length === 0, checks, failures, transcript };
}
