// cloudflareQueue(binding, options?): the receiver's `queue` on Cloudflare Queues, through the
// Worker's producer binding (env.WEBHOOKS). The same Worker (or another) consumes it with
// `export default { fetch, queue: (batch) => receiver.queue(batch) }`. Messages that use up
// max_retries go to the consumer's dead_letter_queue, if one is configured (wrangler.toml).
import { sendTimeout } from './check.js';

/**
 * @param {object} binding a Queue producer binding (`env.<NAME>`)
 * @param {{ timeoutMs?: number, delaySeconds?: number }} [options]
 */
export function cloudflareQueue(binding, options) {
  if (binding === null || typeof binding !== 'object' || typeof binding.send !== 'function') {
    throw new TypeError('cloudflareQueue: takes a Queue producer binding (env.<NAME>, [[queues.producers]] in wrangler.toml)');
  }
  const timeoutMs = sendTimeout('cloudflareQueue', options);
  const { delaySeconds } = options ?? {};
  // JSON, so that the message reads as it is in the dashboard and in the dead-letter queue.
  const sendOptions = delaySeconds === undefined ? { contentType: 'json' } : { contentType: 'json', delaySeconds };
  return {
    timeoutMs,
    send: (message) => binding.send(message, { ...sendOptions }),
  };
}
