// What every queue adapter checks at start-up.

/** Default bound on one send: past it the receiver answers 503 QUEUE_UNAVAILABLE. */
export const DEFAULT_SEND_TIMEOUT_MS = 5000;

export function sendTimeout(where, options) {
  const { timeoutMs = DEFAULT_SEND_TIMEOUT_MS } = options ?? {};
  if (!(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs <= 2 ** 31 - 1)) {
    throw new RangeError(`${where}: timeoutMs must be a positive number of milliseconds`);
  }
  return timeoutMs;
}
