// Realistic sample events for the CLI (`events sample`, `trigger`, `init`), the testing kit
// (`elenik-webhooks/testing`) and the browser test harness: fresh ids and timestamps on every
// call. No Node APIs, so browsers and Workers can import it too. The fields come from
// src/event/events.json, the table the Rust validation and the .d.ts follow as well.

// <events: written by scripts/gen-events.mjs from src/event/events.json; edit that file, not this section>
/** What each documented event type means. */
export const EVENT_DESCRIPTIONS = Object.freeze({
  task_complete: 'an automated workflow finished',
  payment_verified: 'a subscription payment was confirmed',
  user_signup: 'a new user created an account',
  subscription_paid: 'a subscription was paid',
});

/** Each type's sample `data`, in order: [field, type, sample] (see events.json). */
const SAMPLE_FIELDS = {
  task_complete: [
    ['task_id', 'id', 'task_{id}'],
    ['status', 'string', 'completed'],
    ['created_at', 'timestamp', 0],
    ['workflow', 'string', 'send-invoice-reminders'],
    ['duration_ms', 'number', 1840],
  ],
  payment_verified: [
    ['user_id', 'id', 'u_{id}'],
    ['amount', 'number', 49.99],
    ['currency', 'currency', 'USD'],
    ['payment_id', 'id', 'pay_{id}'],
    ['verified_at', 'timestamp', 0],
  ],
  user_signup: [
    ['user_id', 'id', 'u_{id}'],
    ['email', 'string', 'new.user+{id}@example.com'],
    ['plan', 'string', 'trial'],
    ['created_at', 'timestamp', 0],
  ],
  subscription_paid: [
    ['subscription_id', 'id', 'sub_{id}'],
    ['user_id', 'id', 'u_{id}'],
    ['plan', 'string', 'pro-monthly'],
    ['amount', 'number', 19],
    ['currency', 'currency', 'EUR'],
    ['period_start', 'timestamp', 0],
    ['period_end', 'timestamp', 2592000],
  ],
};
// </events>

/** A random id such as `k3v9x0q2m7c1`: 12 base-36 characters from crypto.getRandomValues. */
export function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => (b % 36).toString(36)).join('');
}

/**
 * A sample event `{ event, data }` of a documented type, with fresh ids and `now` (ms) as its
 * time: every field events.json lists for the type, in its order. `null` for a type this
 * version does not know.
 */
export function sampleEvent(type, { now = Date.now(), id = randomId } = {}) {
  if (!Object.hasOwn(SAMPLE_FIELDS, type)) return null;
  const seconds = Math.floor(now / 1000);
  const data = {};
  for (const [name, kind, sample] of SAMPLE_FIELDS[type]) {
    if (kind === 'timestamp') data[name] = seconds + sample;
    else data[name] = typeof sample === 'string' ? sample.replaceAll('{id}', () => id()) : sample;
  }
  return { event: type, data };
}

/** The body of `event` changed after signing, as an attacker would: the amount, or an added field. */
export function tamperedBody(event) {
  const data = { ...event.data };
  if (typeof data.amount === 'number') data.amount = data.amount === 0.01 ? 0.02 : 0.01;
  else data.tampered = true;
  return JSON.stringify({ ...event, data });
}
