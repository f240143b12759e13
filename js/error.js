// The one error class of elenik-webhooks. wasm-bindgen bundles this file with the glue, so every
// entry point of the package shares it; the brand below keeps `instanceof` true even for an error
// thrown by a second copy of the package (two bundles, two realms).
const BRAND = Symbol.for('elenik-webhooks.WebhookVerificationError');

export class WebhookVerificationError extends Error {
  constructor(code, message) {
    super(message);
    Object.defineProperty(this, 'code', { value: code, enumerable: true });
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
