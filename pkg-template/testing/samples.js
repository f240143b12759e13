// Realistic sample events for the CLI (`events sample`, `trigger`, `init`), the testing kit
// (`elenik-webhooks/testing`) and the browser test harness: fresh ids and timestamps on every
// call. No Node APIs, so browsers and Workers can import it too.

/** What each documented event type means. */
export const EVENT_DESCRIPTIONS = Object.freeze({
  task_complete: 'an automated workflow finished',
  payment_verified: 'a subscription payment was confirmed',
  user_signup: 'a new user created an account',
  subscription_paid: 'a subscription was paid (Elenik documents no fields for it)',
});

const DAY = 24 * 60 * 60;

/** A random id such as `k3v9x0q2m7c1`: 12 base-36 characters from crypto.getRandomValues. */
export function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => (b % 36).toString(36)).join('');
}

/**
 * A sample event `{ event, data }` of a documented type, with fresh ids and `now` (ms) as its
 * time. `null` for a type this version does not know.
 */
export function sampleEvent(type, { now = Date.now(), id = randomId } = {}) {
  const seconds = Math.floor(now / 1000);
  const makers = {
    task_complete: () => ({
      task_id: `task_${id()}`,
      status: 'completed',
      created_at: seconds,
      workflow: 'send-invoice-reminders',
      duration_ms: 1840,
    }),
    payment_verified: () => ({
      user_id: `u_${id()}`,
      amount: 49.99,
      currency: 'USD',
      payment_id: `pay_${id()}`,
      verified_at: seconds,
    }),
    user_signup: () => ({
      user_id: `u_${id()}`,
      email: `new.user+${id().slice(0, 6)}@example.com`,
      plan: 'trial',
      created_at: seconds,
    }),
    subscription_paid: () => ({
      subscription_id: `sub_${id()}`,
      user_id: `u_${id()}`,
      plan: 'pro-monthly',
      amount: 19,
      currency: 'EUR',
      period_start: seconds,
      period_end: seconds + 30 * DAY,
    }),
  };
  return Object.hasOwn(makers, type) ? { event: type, data: makers[type]() } : null;
}

/** The body of `event` changed after signing, as an attacker would: the amount, or an added field. */
export function tamperedBody(event) {
  const data = { ...event.data };
  if (typeof data.amount === 'number') data.amount = data.amount === 0.01 ? 0.02 : 0.01;
  else data.tampered = true;
  return JSON.stringify({ ...event, data });
}
