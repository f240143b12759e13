// The one error class of elenik-webhooks. wasm-bindgen bundles this file with the glue, so every
// entry point of the package shares it; the brand below keeps `instanceof` true even for an error
// thrown by a second copy of the package (two bundles, two realms).
const BRAND = Symbol.for('elenik-webhooks.WebhookVerificationError');

const STATUS = Object.freeze({
  MISSING_SIGNATURE: 401,
  MALFORMED_SIGNATURE: 401,
  UNSUPPORTED_ALGORITHM: 401,
  SIGNATURE_MISMATCH: 401,
  INVALID_JSON: 400,
  INVALID_EVENT: 400,
  PAYLOAD_TOO_LARGE: 413,
  INVALID_PAYLOAD: 500,
  INVALID_SECRET: 500,
});

export class WebhookVerificationError extends Error {
  constructor(code, message) {
    super(message);
    Object.defineProperty(this, 'code', { value: code, enumerable: true });
  }

  /**
   * The HTTP status a receiver should answer with: 401 when the signature is missing or wrong,
   * 400 for a body that is not a valid event, 413 for an oversize body, and 500 for the
   * receiver's own mistakes (no secret configured, a parsed object passed as the body).
   */
  get status() {
    return STATUS[this.code] ?? 500;
  }

  static [Symbol.hasInstance](value) {
    return value !== null && typeof value === 'object' && value[BRAND] === true;
  }
}

Object.defineProperty(WebhookVerificationError.prototype, 'name', {
  value: 'WebhookVerificationError',
  writable: true,
  configurable: true,
});
Object.defineProperty(WebhookVerificationError.prototype, BRAND, { value: true });

export function createError(code, message) {
  return new WebhookVerificationError(code, message);
}

export function errorClass() {
  return WebhookVerificationError;
}
