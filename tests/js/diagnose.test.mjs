// explainMismatch through the installed package: every finding code, every input kind, and the
// JSON forms made by JavaScript's own JSON.stringify (key order, numbers, escapes).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { explainMismatch, sign, WebhookVerificationError } from 'elenik-webhooks';

const SECRET = 'whsec-test-endpoint-key';
const BODY = '{"event":"payment_verified","data":{"user_id":"u_123","amount":49.99,"currency":"USD"}}';
const hex = (payload, secret) =>
  createHmac('sha256', secret).update(payload instanceof ArrayBuffer ? Buffer.from(payload) : payload).digest('hex');

/** The finding codes, after checking every finding is one line and leaks nothing. */
function codes(payload, header, secret = SECRET, signedWith = []) {
  const findings = explainMismatch(payload, header, secret);
  assert.ok(Array.isArray(findings));
  const secrets = [secret, ...signedWith].filter((s) => typeof s === 'string').map((s) => s.trim());
  const digests = [hex(payload, secret), ...signedWith.map((s) => hex(payload, s))];
  for (const finding of findings) {
    assert.deepEqual(Object.keys(finding).sort(), ['code', 'fix', 'message']);
    assert.ok(finding.message.length > 0 && finding.fix.length > 0 && !finding.message.includes('\n'));
    for (const text of [finding.message, finding.fix]) {
      for (const s of secrets) assert.ok(!text.includes(s), `secret leaked: ${text}`);
      for (const d of digests) assert.ok(!text.includes(d), `a signature leaked: ${text}`);
    }
  }
  return findings.map((f) => f.code);
}

describe('explainMismatch', () => {
  test('a valid signature gives no findings, whatever the input kinds', () => {
    const header = sign(BODY, SECRET);
    assert.deepEqual(codes(BODY, header), []);
    assert.deepEqual(codes(Buffer.from(BODY), new Headers({ 'X-Elenik-Signature': header })), []);
    assert.deepEqual(codes(new TextEncoder().encode(BODY).buffer, { 'x-elenik-signature': [header] }), []);
    assert.deepEqual(codes(BODY, header, new TextEncoder().encode(SECRET)), []);
  });

  test('header problems: missing, another algorithm, malformed', () => {
    assert.deepEqual(codes(BODY, undefined), ['MISSING_SIGNATURE']);
    assert.deepEqual(codes(BODY, new Headers()), ['MISSING_SIGNATURE']);
    assert.deepEqual(codes(BODY, { 'content-type': 'application/json' }), ['MISSING_SIGNATURE']);
    assert.deepEqual(codes(BODY, 'sha512=' + 'ab'.repeat(64)), ['UNSUPPORTED_ALGORITHM']);
    assert.deepEqual(codes(BODY, sign(BODY, SECRET).slice(0, -2)), ['MALFORMED_SIGNATURE']);
    const base64 = 'sha256=' + Buffer.from(hex(BODY, SECRET), 'hex').toString('base64');
    const [finding] = explainMismatch(BODY, base64, SECRET);
    assert.equal(finding.code, 'MALFORMED_SIGNATURE');
    assert.match(finding.message, /base64/);
    assert.deepEqual(codes(BODY, 'x'.repeat(5000)), ['MALFORMED_SIGNATURE']);
  });

  test('a secret with a trailing newline (from a file or echo)', () => {
    assert.deepEqual(codes(BODY, sign(BODY, SECRET), `${SECRET}\n`), ['SECRET_WHITESPACE']);
    assert.deepEqual(codes(BODY, sign(BODY, 'rotated-key-42'), ` ${SECRET}`, ['rotated-key-42']), ['SECRET_WHITESPACE', 'SECRET_OR_BODY_DIFFERS']);
  });

  test('a trailing newline or converted line endings in the body', () => {
    assert.deepEqual(codes(`${BODY}\n`, sign(BODY, SECRET)), ['BODY_TRAILING_NEWLINE']);
    const lf = JSON.stringify(JSON.parse(BODY), null, 2);
    const crlf = lf.replaceAll('\n', '\r\n');
    assert.deepEqual(codes(crlf, sign(lf, SECRET)), ['BODY_LINE_ENDINGS']);
    assert.deepEqual(codes(lf, sign(crlf, SECRET)), ['BODY_LINE_ENDINGS']);
  });

  test('the body-parser mistake: JSON.stringify(JSON.parse(body)) and 2-space indentation', () => {
    // Elenik sent it with spaces; express.json() + JSON.stringify(req.body) dropped them.
    const sent = '{"event": "payment_verified", "data": {"user_id": "u_123", "amount": 49.99, "currency": "USD"}}';
    const received = JSON.stringify(JSON.parse(sent));
    const pretty = JSON.stringify(JSON.parse(sent), null, 2);
    assert.deepEqual(codes(sent, sign(received, SECRET)), ['BODY_RESERIALIZED']);
    assert.deepEqual(codes(received, sign(pretty, SECRET)), ['BODY_REINDENTED']);
    const [finding] = explainMismatch(received, sign(pretty, SECRET), SECRET);
    assert.match(finding.message, /body-parser/);
    assert.match(finding.fix, /express\.raw\(\)/);
  });

  test('JSON forms are exactly what JavaScript produces: key order, numbers, escapes', () => {
    // Integer-like keys move first in JS objects, 1.0 prints as 1, 1e21 as 1e+21, \u00e9 as é,
    // and a lone surrogate stays escaped: a Rust re-serializer would get each of these wrong.
    const sent = '{ "event": "user_signup", "data": { "z": 1, "10": 2, "2": 3, "amount": 1.0, "big": 1e21, ' +
      '"small": 0.000001, "name": "Zo\\u00eb \\ud83d\\ude00", "odd": "\\ud800", "ctl": "\\u001f\\n" } }';
    const compact = JSON.stringify(JSON.parse(sent));
    assert.match(compact, /^\{"event":"user_signup","data":\{"2":3,"10":2,"z":1,"amount":1,"big":1e\+21,"small":0\.000001,/);
    assert.deepEqual(codes(sent, sign(compact, SECRET)), ['BODY_RESERIALIZED']);
    assert.deepEqual(codes(compact, sign(JSON.stringify(JSON.parse(sent), null, 2), SECRET)), ['BODY_REINDENTED']);
    // As bytes as well as a string.
    assert.deepEqual(codes(Buffer.from(sent), sign(compact, SECRET)), ['BODY_RESERIALIZED']);
  });

  test('a whsec_ prefix, base64 confusion', () => {
    const key = Buffer.from('8a01ff20339000 7e123456789abcdef0'.replace(' ', ''), 'hex');
    assert.deepEqual(codes(BODY, sign(BODY, 'k3y-material-123'), 'whsec_k3y-material-123', ['k3y-material-123']), ['SECRET_PREFIX']);
    assert.deepEqual(codes(BODY, sign(BODY, new Uint8Array(key)), key.toString('base64')), ['SECRET_BASE64']);
    assert.deepEqual(codes(BODY, sign(BODY, new Uint8Array(key)), `whsec_${key.toString('base64')}`), ['SECRET_PREFIX', 'SECRET_BASE64']);
    assert.deepEqual(codes(BODY, sign(BODY, key.toString('base64')), new Uint8Array(key)), ['SECRET_BASE64']);
  });

  test('a body signed in another encoding (Latin-1)', () => {
    const text = '{"event":"user_signup","data":{"user_id":"u_1","name":"Zoë Müller"}}';
    assert.deepEqual(codes(text, sign(Buffer.from(text, 'latin1'), SECRET)), ['BODY_LATIN1']);
    assert.deepEqual(codes(Buffer.from(text, 'latin1'), sign(text, SECRET)), ['BODY_LATIN1']);
    // Read with setEncoding('latin1'), then hashed as UTF-8: double encoded.
    const mojibake = Buffer.from(text).toString('latin1');
    assert.deepEqual(codes(mojibake, sign(text, SECRET)), ['BODY_LATIN1']);
  });

  test('otherwise: the secret or the body differs', () => {
    assert.deepEqual(codes(BODY, sign(BODY, 'other-endpoint'), SECRET, ['other-endpoint']), ['SECRET_OR_BODY_DIFFERS']);
    assert.deepEqual(codes(BODY.replace('49.99', '0.01'), sign(BODY, SECRET)), ['SECRET_OR_BODY_DIFFERS']);
  });

  test('wrong kinds of payload or secret throw, as verify does', () => {
    const expect = (fn, code) => assert.throws(fn, (e) => e instanceof WebhookVerificationError && e.code === code);
    expect(() => explainMismatch(JSON.parse(BODY), sign(BODY, SECRET), SECRET), 'INVALID_PAYLOAD');
    expect(() => explainMismatch(BODY, sign(BODY, SECRET), ''), 'INVALID_SECRET');
    expect(() => explainMismatch(BODY, sign(BODY, SECRET), [SECRET]), 'INVALID_SECRET');
    expect(() => explainMismatch(BODY, sign(BODY, SECRET), 42), 'INVALID_SECRET');
  });
});

test('the findings of every vector, messages and fixes included (tests/vectors/diagnose.json)', async () => {
  const { readFile } = await import('node:fs/promises');
  const { cases } = JSON.parse(await readFile(new URL('./vectors/diagnose.json', import.meta.url), 'utf8'));
  assert.ok(cases.length >= 40, `${cases.length} cases`);
  for (const { name, body_hex: body, header, secret_hex: secret, findings } of cases) {
    const bytes = (hex) => new Uint8Array(Buffer.from(hex, 'hex'));
    assert.deepEqual(explainMismatch(bytes(body), header, bytes(secret)), findings, name);
    // A string body and secret, where they are UTF-8, give the same answer.
    const text = (hex) => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes(hex));
    let asText;
    try {
      asText = [text(body), text(secret)];
    } catch {
      continue;
    }
    assert.deepEqual(explainMismatch(asText[0], header, asText[1]), findings, `${name} (strings)`);
  }
});
