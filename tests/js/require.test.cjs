// The suite through `require`, as CommonJS users load the package; and proof that `require` and
// `import` share one instance (one Wasm, one error class).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const api = require('elenik-webhooks');
const { run } = require('./suite.cjs');

run(api, 'require');

test('require and import load the same module instance', async () => {
  const viaImport = await import('elenik-webhooks');
  assert.equal(viaImport.verify, api.verify);
  assert.equal(viaImport.WebhookVerificationError, api.WebhookVerificationError);
  try {
    viaImport.constructEvent('{}', 'sha1=00', 'secret');
  } catch (error) {
    assert.ok(error instanceof api.WebhookVerificationError);
  }
});
