// createReceiver(): verified, typed, deduplicated webhook handling. The request path is a sequence
// of named steps (steps.js) over this receiver's state; `fetch` and `node` (adapters.js) only move
// bytes and statuses. core/api.js re-exports it. It imports the glue (which loads the Wasm)
// directly, not api.js: an import cycle made webpack inline the Node.js loader out of Next.js's
// file trace.
import { checkBodyLimit, DEFAULT_MAX_BODY_BYTES } from '../core/body.js';
import { EVENT_TYPES } from '../core/constants.js';
import { WebhookVerificationError } from '../core/error.js';
import { Verifier } from '../core/glue.js';
import { fetchAdapter, nodeAdapter } from './adapters.js';
import { checkMs, TIMED_OUT, within } from './deadline.js';
import { checkFunction, createGuard, DEFAULT_STORE_TIMEOUT_MS } from './guard.js';
import { createObserver } from './observe.js';
import { batchConsumer, consumer } from './consume.js';
import { QUEUE_STEPS, receive as runSteps, STEPS } from './steps.js';

const DEFAULT_QUEUE_TIMEOUT_MS = 10_000;

/**
 * The `queue` option: anything with send(message) → Promise (queues/ has BullMQ, Cloudflare
 * Queues and Deno KV). Its `timeoutMs`, if any, bounds each send.
 */
function checkQueue(queue) {
  if (queue === undefined || queue === null || queue === false) return null;
  if (queue === null || typeof queue !== 'object' || typeof queue.send !== 'function') {
    throw new TypeError('createReceiver: queue must have a send(message) method (bullmqQueue, cloudflareQueue, denoKvQueue)');
  }
  const { timeoutMs = DEFAULT_QUEUE_TIMEOUT_MS } = queue;
  if (!(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs <= 2 ** 31 - 1)) {
    throw new RangeError('createReceiver: queue.timeoutMs must be a positive number of milliseconds');
  }
  return { send: (message) => queue.send(message), timeoutMs };
}

/**
 * How long the handlers of one delivery may run before the answer is 503 HANDLER_TIMEOUT: below
 * the time webhook senders commonly wait for an answer (10 to 30 seconds), so the sender hears a
 * retryable status rather than timing out itself, and long enough for handlers that do real work.
 */
export const DEFAULT_HANDLER_TIMEOUT_MS = 10_000;

export function createReceiver(options = {}) {
  const {
    secret,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    dedupe,
    queue,
    handlerTimeoutMs = DEFAULT_HANDLER_TIMEOUT_MS,
    storeTimeoutMs = DEFAULT_STORE_TIMEOUT_MS,
  } = options ?? {};
  checkBodyLimit(maxBodyBytes, 'createReceiver: ');
  checkMs(handlerTimeoutMs, 'handlerTimeoutMs');
  checkMs(storeTimeoutMs, 'storeTimeoutMs');
  const handlers = { typed: new Map(), any: [], errors: [] }; // typed: event type -> handlers, in order
  // The secret as configured (a function's last answer), for the log's explainMismatch findings.
  let secretValue = secret;
  const observer = createObserver(options, () => secretValue);
  const state = {
    maxBodyBytes,
    handlerTimeoutMs,
    verifier: verifierFor(secret, storeTimeoutMs, (...args) => state.log(...args), (value) => (secretValue = value)),
    guard: createGuard(dedupe, storeTimeoutMs),
    queue: checkQueue(queue),
    steps: STEPS,
    handlers,
    observer,
    // Rate-limited per message (observe.js); a logger that throws changes no answer.
    log: (level, ...args) => observer.log(level, String(args[0]), () => args),
  };
  // The adapters pass the record they began (observe.js), so that it times the body read too.
  // fetch also passes the platform's waitUntil (Workers' ctx), for handlers past their deadline.
  const steps = (payload, headers, record, waitUntil) => runSteps(state, payload, headers, record, waitUntil);
  const receive = (payload, headers) => steps(payload, headers);

  // on: documented types (another is most likely a typo: warned, naming the closest documented
  // one); onUnknown: the opt-in for a type newer than this package, without the warning.
  const register = (where, type, handler) => {
    const types = Array.isArray(type) ? type : [type];
    if (types.length === 0 || !types.every((t) => typeof t === 'string' && t.length > 0)) {
      throw new TypeError(`${where}: type must be an event type or a non-empty array of them`);
    }
    checkFunction(where, handler);
    for (const t of types) {
      if (where === 'receiver.on' && !EVENT_TYPES.includes(t)) state.log('warn', unknownTypeWarning(t));
      if (!handlers.typed.has(t)) handlers.typed.set(t, []);
      handlers.typed.get(t).push(handler);
    }
    return receiver;
  };
  // With a queue, the request path enqueues instead of running the handlers (steps.js).
  if (state.queue) state.steps = QUEUE_STEPS;
  const consume = consumer(state);

  const receiver = {
    on: (type, handler) => register('receiver.on', type, handler),
    onUnknown: (type, handler) => register('receiver.onUnknown', type, handler),
    onAny(handler) {
      handlers.any.push(checkFunction('receiver.onAny', handler));
      return receiver;
    },
    onError(handler) {
      handlers.errors.push(checkFunction('receiver.onError', handler));
      return receiver;
    },
    onDelivery(hook) {
      observer.hooks.push(checkFunction('receiver.onDelivery', hook));
      return receiver;
    },
    receive,
    consume,
    queue: batchConsumer(state, consume),
    fetch: fetchAdapter(state, steps),
    node: nodeAdapter(state, steps),
  };
  return receiver;
}

/**
 * The Verifier for `secret`, as a function. Built at once: the HMAC key state is computed here,
 * and a missing secret fails at start-up. A function is called on the first request instead
 * (where a build step such as `next build` loads the module without the runtime's secrets), and
 * may be async: its Promise is awaited (within storeTimeoutMs) by every request until it settles,
 * and its Verifier kept. Until it gives a valid secret, every request is answered 500
 * INVALID_SECRET. The function returned gives a Verifier, a Promise of one, or throws
 * INVALID_SECRET, also for a Verifier that has since been freed.
 */
function verifierFor(secret, timeoutMs, log, seen) {
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

/** Whether `value` is a Promise or another thenable (reading `then` may throw: the caller catches). */
const isThenable = (value) => value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';

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

/** The warning for `receiver.on(type)` with a type this version does not document. */
function unknownTypeWarning(type) {
  return (
    `receiver.on(${JSON.stringify(type)}): not an event type this version documents; the closest is ` +
    `${JSON.stringify(closestType(type))}. Its handler runs only for events of exactly this type. For a ` +
    `type Elenik added after this version, register it with receiver.onUnknown(${JSON.stringify(type)}, handler).`
  );
}

/** The documented event type nearest to `type` by edit distance (Levenshtein), the first on a tie. */
function closestType(type) {
  let best = EVENT_TYPES[0];
  let bestDistance = Infinity;
  for (const known of EVENT_TYPES) {
    const distance = editDistance(type, known);
    if (distance < bestDistance) [best, bestDistance] = [known, distance];
  }
  return best;
}

function editDistance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length];
}
