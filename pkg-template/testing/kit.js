// elenik-webhooks/testing: signed test deliveries for unit tests of webhook handlers, without a
// server or a network. The glue (through the package's entry) loads the Wasm for the runtime; testing.cjs, for require,
// is built from this file by scripts/build-pkg.sh.
import { EVENT_TYPES, SIGNATURE_HEADER, sign } from '../index.js';
import { sampleEvent as freshSample, tamperedBody } from './samples.js';

/**
 * A realistic event of `type` with fresh ids and the current time, `dataOverrides` merged into its
 * `data`. A type this version does not document gets `data` = the overrides alone.
 */
export function sampleEvent(type, dataOverrides = {}) {
  if (typeof type !== 'string' || type.length === 0) throw new TypeError('sampleEvent: type must be a non-empty string');
  if (dataOverrides === null || typeof dataOverrides !== 'object' || Array.isArray(dataOverrides)) {
    throw new TypeError('sampleEvent: dataOverrides must be an object');
  }
  const sample = freshSample(type) ?? { event: type, data: {} };
  // Spread, not Object.assign: a "__proto__" key stays a plain field.
  return { ...sample, data: { ...sample.data, ...dataOverrides } };
}

/**
 * `{ body, headers }` of a delivery as Elenik sends it: `body` the JSON string, `headers` a plain
 * object with content-type and X-Elenik-Signature. `tamper` changes the body after signing;
 * `unsigned` leaves the signature out.
 */
export function createTestDelivery(options = {}) {
  const { type, event, secret, tamper = false, unsigned = false } = options ?? {};
  if ((type === undefined) === (event === undefined)) {
    throw new TypeError(`createTestDelivery: pass either type (one of ${EVENT_TYPES.join(', ')}, or any other) or event`);
  }
  if (tamper && unsigned) throw new TypeError('createTestDelivery: choose one of tamper and unsigned');
  const value = event ?? sampleEvent(type);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError('createTestDelivery: event must be an object such as { event, data }');
  }
  let body = JSON.stringify(value);
  const headers = { 'content-type': 'application/json' };
  if (!unsigned) {
    if (secret === undefined) throw new TypeError('createTestDelivery: pass the secret your receiver uses (or unsigned: true)');
    headers[SIGNATURE_HEADER] = sign(body, secret);
  }
  if (tamper) body = tamperedBody(value);
  return { body, headers };
}

/** The same delivery as a fetch `Request` (POST to `url`, by default http://localhost/webhooks/elenik). */
export function createTestRequest(options = {}) {
  const { url = 'http://localhost/webhooks/elenik', ...rest } = options ?? {};
  const { body, headers } = createTestDelivery(rest);
  return new Request(url, { method: 'POST', body, headers });
}
