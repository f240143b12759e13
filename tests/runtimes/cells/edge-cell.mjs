// The matrix cell for Vercel's edge-runtime (tests/deploy/cells.mjs bundles it with the
// `edge-light` condition and evaluates it with Wasm code generation off): the result is left in
// globalThis.__matrixResult for the host to read.
import * as api from 'elenik-webhooks';
import vectors from './vectors.json';
import { runCheck } from './check.mjs';

globalThis.__matrixResult = runCheck(api, vectors).catch((error) => ({
  ok: false,
  checks: 0,
  failures: [{ name: 'check', message: String(error?.stack ?? error) }],
  transcript: [],
}));
