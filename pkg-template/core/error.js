// The one error class of elenik-webhooks, shared by every entry point of the package; the brand
// below keeps `instanceof` true even for an error thrown by a second copy of the package (two
// bundles, two realms). Codes and statuses come from the Rust core's table (src/error.rs), through
// constants.js, which scripts/build-pkg.sh generates from the Wasm module.
import { STATUS } from './constants.js';

const BRAND = Symbol.for('elenik-webhooks.WebhookVerificationError');

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
