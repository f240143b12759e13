// denoKvQueue(kv, options?): the receiver's `queue` on Deno KV's queue (kv.enqueue), consumed by
// kv.listenQueue((message) => receiver.consume(message)). A message whose handler still fails
// after the backoff schedule is written to keysIfUndelivered: by default
// ['elenik-webhooks', 'undelivered', <delivery key>], the original message with its bytes.
import { sendTimeout } from './check.js';

/** Retries over about four minutes in all: longer than the receiver's default lease. */
export const DENO_KV_BACKOFF = Object.freeze([1000, 5000, 10_000, 30_000, 60_000, 120_000]);

export const undeliveredKey = (message) => ['elenik-webhooks', 'undelivered', message.key];

/**
 * @param {object} kv a Deno.Kv (await Deno.openKv())
 * @param {{ timeoutMs?: number, delay?: number, backoffSchedule?: number[],
 *   keysIfUndelivered?: (message) => unknown[][] }} [options]
 */
export function denoKvQueue(kv, options) {
  if (kv === null || typeof kv !== 'object' || typeof kv.enqueue !== 'function') {
    throw new TypeError('denoKvQueue: takes a Deno.Kv (await Deno.openKv()), run with --unstable-kv');
  }
  const timeoutMs = sendTimeout('denoKvQueue', options);
  const { delay, backoffSchedule = DENO_KV_BACKOFF, keysIfUndelivered = (message) => [undeliveredKey(message)] } = options ?? {};
  if (typeof keysIfUndelivered !== 'function') throw new TypeError('denoKvQueue: keysIfUndelivered must be a function of the message');
  return {
    timeoutMs,
    async send(message) {
      const enqueueOptions = { backoffSchedule: [...backoffSchedule], keysIfUndelivered: keysIfUndelivered(message) };
      if (delay !== undefined) enqueueOptions.delay = delay;
      const result = await kv.enqueue(message, enqueueOptions);
      if (result?.ok === false) throw new Error('denoKvQueue: kv.enqueue did not commit');
      return result;
    },
  };
}
