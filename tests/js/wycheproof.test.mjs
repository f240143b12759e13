// Wycheproof HMAC-SHA256 (full-length tags), exported by tests/wycheproof.rs, through the
// installed package with the key as a Uint8Array, as the native test runs them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sign, verify, Verifier } from 'elenik-webhooks';

const file = JSON.parse(readFileSync(new URL('./vectors/wycheproof_hmac_sha256.json', import.meta.url), 'utf8'));
const bytes = (hex) => new Uint8Array(Buffer.from(hex, 'hex'));

test('Wycheproof HMAC-SHA256 full-length-tag cases', () => {
  assert.match(file.source, /Wycheproof/);
  assert.equal(file.cases.length, file.count);
  assert.equal(file.count, 87);
  let valid = 0;
  for (const c of file.cases) {
    const id = `tcId ${c.tcId} (${c.comment})`;
    const key = bytes(c.key_hex);
    const msg = bytes(c.msg_hex);
    const header = `sha256=${c.tag_hex}`;
    const expected = c.result === 'valid';
    assert.equal(verify(msg, header, key), expected, `${id}: verify`);
    assert.equal(sign(msg, key) === header, expected, `${id}: sign`);
    const verifier = new Verifier(key);
    try {
      const outcome = verifier.tryVerify(msg, header);
      assert.deepEqual(outcome, expected ? { ok: true, secretIndex: 0 } : {
        ok: false,
        code: 'SIGNATURE_MISMATCH',
        message: outcome.message,
      }, id);
    } finally {
      verifier.free();
    }
    if (expected) valid += 1;
  }
  // Both kinds are present, so neither "always true" nor "always false" could pass.
  assert.ok(valid > 0 && valid < file.count, `${valid} valid of ${file.count}`);
});
