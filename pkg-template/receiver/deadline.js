// Bounded waits on what the user supplies (handlers, the store, an async secret, dedupe.key): any
// of them may throw, reject, return junk or never settle, and the request must still be answered.

/** Milliseconds on a monotonic clock where the runtime has one. */
export const monotonicNow = () => (globalThis.performance?.now ? globalThis.performance.now() : Date.now());

/** Whether `value` is a Promise or another thenable. Reading a hostile `then` may throw: the caller catches. */
export const isThenable = (value) =>
  value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';

/** What within() gives when the wait ran out. */
export const TIMED_OUT = Symbol('elenik-webhooks.timedOut');

/** `fn()` as a Promise: a synchronous throw becomes a rejection, a thenable is adopted. */
export function call(fn) {
  return new Promise((resolve) => resolve(fn()));
}

/**
 * The value of `promise`, or TIMED_OUT once `ms` have passed. The promise runs on (its rejection
 * is still handled: it never becomes an unhandled rejection).
 */
export function within(promise, ms) {
  if (ms === undefined) return promise; // no deadline (a receiver state built by hand, in tests)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms, TIMED_OUT);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** `fn()` within `ms`, or a rejection naming `what` when it did not settle in time. */
export async function bounded(what, ms, fn) {
  if (ms === undefined) return fn();
  const value = await within(call(fn), ms);
  if (value === TIMED_OUT) throw new Error(`elenik-webhooks: ${what} did not settle within ${ms} ms`);
  return value;
}

/** A positive, finite number of milliseconds, or a RangeError naming the option. */
export function checkMs(value, name) {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 2 ** 31 - 1)) {
    throw new RangeError(`createReceiver: ${name} must be a positive number of milliseconds (at most 2147483647)`);
  }
  return value;
}
