// The matrix cell for CommonJS: Node and Bun `require`. Prints one `MATRIX-RESULT` line.
'use strict';
const api = require('elenik-webhooks');
const vectors = require('./vectors.json');

import('./check.mjs')
  .then(({ runCheck }) => runCheck(api, vectors))
  .then(
    (result) => console.log('MATRIX-RESULT ' + JSON.stringify(result)),
    (error) => console.log('MATRIX-RESULT ' + JSON.stringify({ ok: false, checks: 0, failures: [{ name: 'check', message: String(error?.stack ?? error) }], transcript: [] })),
  );
