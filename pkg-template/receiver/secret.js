// The receiver's `secret` option as a function that gives the Verifier: built at once for a secret,
// on the first request for a secret function (sync or async), and INVALID_SECRET, saying why, for
// everything else (missing, freed, throwing, rejecting, hanging).
import { WebhookVerificationError } from '../core/error.js';
import { Verifier } from '../core/glue.js';
import { isThenable, TIMED_OUT, within } from './deadline.js';

/**
 * The Verifier for `secret`, as a function. Built at once: the HMAC key state is computed here,
 * and a missing secret fails at start-up. A function is called on the first request instead
 * (where a build step such as `next build` loads the module without the runtime's secrets), and
 * may be async: its Promise is awaited (within storeTimeoutMs) by every request until it settles,
 * and its Verifier kept. Until it gives a valid secret, every request is answered 500
 * INVALID_SECRET. The function returned gives a Verifier, a Promise of one, or throws
 * INVALID_SECRET, also for a Verifier that has since been freed.
 */
export function verifierFor(secret, timeoutMs, log, seen) {
  if (typeof secret !== 'function') {
    const verifier = toVerifier(secret, 'the Verifier given as secret has been freed', true);
    return () => live(verifier, 'the Verifier given as secret has been freed');
  }
  let verifier = null;
  let pending = null;
  const fail = (why, cause) => {
    log('error', `elenik-webhooks: ${why}; answered 500 INVALID_SECRET`, ...(cause === undefined ? [] : [cause]));
    return invalidSecret(why);
  };
  const keep = (value) => {
    try {
      seen(value);
      return (verifier = toVerifier(value, 'the secret function gave a freed Verifier', false));
    } catch (error) {
      if (error instanceof WebhookVerificationError) throw error;
      throw fail('the secret function gave no valid secret', error);
    }
  };
  return () => {
    if (verifier !== null && isLive(verifier)) return verifier;
    verifier = null;
    if (pending !== null) return pending;
    let value;
    try {
      value = secret();
      if (!isThenable(value)) return keep(value);
    } catch (error) {
      if (error instanceof WebhookVerificationError && error.code === 'INVALID_SECRET') throw error;
      throw fail('the secret function threw', error);
    }
    const settle = (settled) => {
      if (settled === TIMED_OUT) throw fail(`the secret function's Promise did not settle within storeTimeoutMs (${timeoutMs} ms)`);
      return keep(settled);
    };
    pending = within(Promise.resolve(value), timeoutMs).then(settle, (error) => {
      throw fail("the secret function's Promise rejected", error);
    });
    const done = () => (pending = null);
    pending.then(done, done);
    return pending;
  };
}

/** A Verifier for `value`: a live Verifier as it is, else one built from the secret(s). */
function toVerifier(value, freedWhy, direct) {
  if (value instanceof Verifier) return live(value, freedWhy);
  if (value === undefined || value === null || value === '') throw missingSecret(value, direct);
  return new Verifier(value);
}

function isLive(verifier) {
  try {
    return verifier.secretCount > 0;
  } catch {
    return false;
  }
}

function live(verifier, why) {
  if (!isLive(verifier)) throw invalidSecret(why);
  return verifier;
}

/** 500 INVALID_SECRET saying why; a cause (which may quote a secret) goes to the server's log only. */
const invalidSecret = (why) => new WebhookVerificationError('INVALID_SECRET', `invalid secret: ${why}`);

/** INVALID_SECRET for a secret that is not there: what was given, and where it usually comes from. */
function missingSecret(value, direct) {
  const got = value === '' ? 'an empty string' : String(value);
  const given = direct ? 'the secret is' : 'the secret function returned';
  return new WebhookVerificationError(
    'INVALID_SECRET',
    `createReceiver: ${given} ${got}, not the endpoint secret. Is ELENIK_WEBHOOK_SECRET set in this ` +
      "process's environment? Pass it as createReceiver({ secret: process.env.ELENIK_WEBHOOK_SECRET }).",
  );
}
