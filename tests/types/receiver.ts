// Type-level test of createReceiver and memoryStore (see consumer.ts for the conventions).
import { createReceiver, memoryStore } from 'elenik-webhooks';
import type {
  DedupeStore,
  ErrorCode,
  ReceiverErrorCode,
  DeliveryContext,
  ElenikEvent,
  PaymentVerifiedEvent,
  ReceiveResult,
  Receiver,
  TaskCompleteEvent,
  UnknownEvent,
} from 'elenik-webhooks';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

const receiver: Receiver = createReceiver({ secret: 'whsec_test', maxBodyBytes: 65536, logger: console });

// Handlers get the event of their type: the documented fields of data, nothing else.
receiver
  .on('payment_verified', (e) => e.data.amount)
  .on('payment_verified', async (e, context) => {
    assertType<Equal<typeof e, PaymentVerifiedEvent>>();
    const key: string = context.deliveryKey;
    return key + e.data.currency;
  })
  // @ts-expect-error amount belongs to payment_verified, not task_complete
  .on('task_complete', (e) => e.data.amount)
  .on(['task_complete', 'payment_verified'], (e) => {
    assertType<Equal<typeof e, TaskCompleteEvent | PaymentVerifiedEvent>>();
    if (e.event === 'task_complete') return e.data.task_id;
    return e.data.user_id;
  })
  // A type this version does not document: the explicit opt-in, an UnknownEvent.
  .onUnknown('invoice_created', (e) => {
    assertType<Equal<typeof e, UnknownEvent>>();
    const name: string = e.event;
    return e.data.invoice_id ?? name;
  })
  .onUnknown(['invoice_created', 'invoice_paid'], (e) => e.data)
  .onAny((event: ElenikEvent, context: DeliveryContext) => console.log(event.event, context.deliveryKey))
  .onAny((event) => {
    // Event names are plain strings (a literal union), not a branded String.
    const name: string = event.event;
    return name;
  })
  // The fields Elenik sends besides the validated ones (as `events sample` shows them), optional.
  .on('payment_verified', (e) => {
    const paymentId: string | undefined = e.data.payment_id;
    const verifiedAt: number | undefined = e.data.verified_at;
    return [paymentId, verifiedAt];
  })
  .onError((error, context) => console.error(error, context.deliveryKey));

// @ts-expect-error a handler is required
receiver.on('task_complete');
// @ts-expect-error a misspelled event type does not compile
receiver.on('payment_verifed', (e) => e);
// @ts-expect-error nor does a misspelled type in an array
receiver.on(['task_complete', 'user_singup'], (e) => e);
// @ts-expect-error nor does a type this version does not document: that takes onUnknown
receiver.on('invoice_created', (e) => e);
// @ts-expect-error a documented type is registered with on, which types its event
receiver.onUnknown('payment_verified', (e) => e);
// @ts-expect-error a handler for another type's event
receiver.on('task_complete', (e: PaymentVerifiedEvent) => e.data.amount);
// @ts-expect-error a handler must be a function
receiver.on('task_complete', 'handler');
// @ts-expect-error payment_id may be absent
receiver.on('payment_verified', (e) => e.data.payment_id.toUpperCase());
// @ts-expect-error user_signup has no amount either
receiver.on('user_signup', (e) => e.data.amount);

// Every store option; a hand-written store.
const store: DedupeStore = {
  async claim(key, token, leaseSeconds) {
    return key && token && leaseSeconds ? 'claimed' : 'processing';
  },
  async complete() {
    return true;
  },
  async release() {
    return true;
  },
};
createReceiver({ secret: ['new', 'old'], dedupe: store });
createReceiver({ secret: 'whsec_test', dedupe: false, logger: false });
const memory = memoryStore({ maxEntries: 10_000, now: () => Date.now() });
const held: number = memory.size;
createReceiver({
  secret: new TextEncoder().encode('whsec_test'),
  dedupe: { store: memory, key: (event) => String(event.event), leaseSeconds: 30, ttlSeconds: 86_400 },
});
// @ts-expect-error the secret is required
createReceiver({});
// @ts-expect-error a store needs claim, complete and release
createReceiver({ secret: 'whsec_test', dedupe: { claim: async () => 'claimed' } });
const badStore: DedupeStore = {
  // @ts-expect-error claim answers 'claimed', 'processing' or 'done'
  async claim() {
    return 'ok';
  },
  async complete() {
    return true;
  },
  async release() {
    return true;
  },
};

// The core and the adapters, passed unbound.
async function use(): Promise<void> {
  const result: ReceiveResult = await receiver.receive('{}', { 'x-elenik-signature': 'sha256=00' });
  const status: number = result.status;
  if (result.duplicate) assertType<Equal<typeof result.duplicate, true>>();
  const handler: (request: Request) => Promise<Response> = receiver.fetch;
  const POST = receiver.fetch;
  await POST(new Request('http://127.0.0.1/', { method: 'POST', body: '{}' }));
  const { node } = receiver;
  console.log(status, handler, node);
}

export { held, badStore, use };

// The testing kit.
import { createTestDelivery, createTestRequest, sampleEvent } from 'elenik-webhooks/testing';

const sample = sampleEvent('payment_verified', { amount: 10 });
assertType<Equal<typeof sample, PaymentVerifiedEvent>>();
// @ts-expect-error amount is a number
sampleEvent('payment_verified', { amount: '10' });
const unknownSample: UnknownEvent = sampleEvent('invoice_created', { invoice_id: 'inv_1' });
const delivery = createTestDelivery({ type: 'task_complete', secret: 'whsec_test' });
const text: string = delivery.body;
const signature: string | undefined = delivery.headers['x-elenik-signature'];
createTestDelivery({ event: sample, secret: new Uint8Array([1]), tamper: true });
createTestDelivery({ type: 'user_signup', unsigned: true });
// @ts-expect-error a signed delivery needs the secret
createTestDelivery({ type: 'user_signup' });
// @ts-expect-error type or event, not both
createTestDelivery({ type: 'user_signup', event: sample, secret: 's' });
const testRequest: Request = createTestRequest({ type: 'payment_verified', secret: 's', url: 'http://localhost/hook' });
async function unitTest(): Promise<number> {
  const result = await receiver.receive(delivery.body, delivery.headers);
  return result.status + (await receiver.fetch(testRequest)).status;
}

export { unknownSample, text, signature, unitTest };
createReceiver({ secret: () => process.env.ELENIK_WEBHOOK_SECRET ?? '' });
// The secret straight from the environment compiles under strict (a missing one throws at once).
createReceiver({ secret: process.env.ELENIK_WEBHOOK_SECRET });
createReceiver({ secret: () => process.env.ELENIK_WEBHOOK_SECRET });
// @ts-expect-error a number is not a secret
createReceiver({ secret: 42 });

// Every body form has `error`: the code when it failed, undefined when it was received.
async function bodies(): Promise<void> {
  const { body } = await receiver.receive('{}', {});
  const error: ErrorCode | ReceiverErrorCode | undefined = body.error;
  if (body.error === undefined) {
    const received: true = body.received;
    const type: string | undefined = body.event;
    console.log(received, type);
  }
  // @ts-expect-error not one of the codes
  if (body.error === 'SIGNATURE_MISMATCHED') console.log(error);
}
export { bodies };
// An async secret function is awaited once (issue 17).
createReceiver({ secret: async () => 'whsec_test', handlerTimeoutMs: 10_000, storeTimeoutMs: 5000 });
// @ts-expect-error a deadline is a number of milliseconds
createReceiver({ secret: 's', handlerTimeoutMs: '10s' });
// @ts-expect-error the function gives a secret (or a Promise of one), not a number
createReceiver({ secret: async () => 42 });
const workersCtx = { waitUntil(promise: Promise<unknown>): void { void promise; } };
void receiver.fetch(testRequest, {}, workersCtx);
declare const process: { env: { [name: string]: string | undefined } };

// The `queue` option (README "Acknowledge fast"): the adapters, consume's outcome, queue(batch).
import { bullmqQueue, cloudflareQueue, denoKvQueue } from 'elenik-webhooks';
import type { ConsumeOutcome, QueueAdapter, QueueMessage } from 'elenik-webhooks';

const bull: QueueAdapter = bullmqQueue({ add: async () => ({}) }, { attempts: 3 }, { timeoutMs: 2000 });
const queued = createReceiver({ secret: 'whsec_test', queue: bull });
createReceiver({ secret: 'whsec_test', queue: cloudflareQueue({ send: async () => undefined }, { delaySeconds: 5 }) });
createReceiver({ secret: 'whsec_test', queue: denoKvQueue({ enqueue: async () => ({ ok: true }) }, { backoffSchedule: [1000], keysIfUndelivered: (m: QueueMessage) => [['dead', m.key]] }) });
createReceiver({ secret: 'whsec_test', queue: { send: async (message: QueueMessage) => message.body.length } });
// @ts-expect-error a queue needs send
createReceiver({ secret: 'whsec_test', queue: { add: async () => ({}) } });
// @ts-expect-error bullmqQueue takes a Queue, not a connection string
bullmqQueue('redis://127.0.0.1');
const outcome: Promise<ConsumeOutcome> = queued.consume({ v: 1 });
void outcome;
void queued.queue({ messages: [{ body: {}, ack() {}, retry() {} }] });
void (async () => {
  const answer = await queued.receive('{}', {});
  if (answer.queued) {
    const body: typeof answer.body = { received: true, event: 'payment_verified', queued: true };
    void body;
  }
})();
