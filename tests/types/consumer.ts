// Type-level test of the published declarations (`tsc --noEmit`, see scripts/test-packaging.sh).
// Every API is used as documented; each `@ts-expect-error` line is a wrong use that must not
// compile (tsc fails on an unused `@ts-expect-error`, so each one proves an error exists).
import {
  DEFAULT_MAX_BODY_BYTES,
  ERROR_CODES,
  EVENT_TYPES,
  SIGNATURE_HEADER,
  Verifier,
  WebhookVerificationError,
  constructEvent,
  explainMismatch,
  parseEvent,
  sign,
  verify,
  verifyRequest,
} from 'elenik-webhooks';
import type {
  ElenikEvent,
  ErrorCode,
  FindingCode,
  KnownEventType,
  PaymentVerifiedEvent,
  TaskCompleteEvent,
  UnknownEvent,
  VerifyResult,
} from 'elenik-webhooks';

// Exact type equality, so a test cannot pass by accident through `any` or a wider type.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

const secret = 'whsec_test';
const body = '{"event":"task_complete","data":{"task_id":"t","status":"ok","created_at":1}}';
const bytes = new TextEncoder().encode(body);

// Payloads: string, Uint8Array, ArrayBuffer, any view. Headers: string, string[], Headers, records.
const header: `sha256=${string}` = sign(body, secret);
const ok: boolean = verify(body, header, secret);
verify(bytes, [header], [secret, new Uint8Array([1, 2])]);
verify(bytes.buffer, new Headers({ [SIGNATURE_HEADER]: header }), secret);
verify(new DataView(bytes.buffer), { 'x-elenik-signature': header, 'content-length': 3 }, secret);
verify(body, null, secret);
verify(body, undefined, secret);
assertType<Equal<typeof SIGNATURE_HEADER, 'x-elenik-signature'>>();
assertType<Equal<typeof DEFAULT_MAX_BODY_BYTES, 1048576>>();
assertType<Equal<KnownEventType, 'task_complete' | 'payment_verified' | 'user_signup' | 'subscription_paid'>>();
const firstType: 'task_complete' = EVENT_TYPES[0];
const codes: readonly ErrorCode[] = ERROR_CODES;

// @ts-expect-error a number is not a secret
verify(body, header, 42);
// @ts-expect-error a parsed object is not a payload: pass the raw body
verify(JSON.parse(body) as object, header, secret);
// @ts-expect-error sign takes one secret, not a rotation list
sign(body, [secret]);
// @ts-expect-error verify returns a boolean, not an event
const notAnEvent: ElenikEvent = verify(body, header, secret);

// Events narrow on `event`.
function handle(event: ElenikEvent): string {
  switch (event.event) {
    case 'task_complete': {
      assertType<Equal<typeof event, TaskCompleteEvent>>();
      assertType<Equal<typeof event.data.task_id, string>>();
      const seconds: number = event.data.created_at;
      // @ts-expect-error `amount` belongs to payment_verified, not task_complete
      event.data.amount;
      return event.data.status + seconds;
    }
    case 'payment_verified': {
      assertType<Equal<typeof event, PaymentVerifiedEvent>>();
      const amount: number = event.data.amount;
      // @ts-expect-error the amount is a number
      const wrong: string = event.data.amount;
      return event.data.currency + amount;
    }
    case 'user_signup':
      return event.data.user_id;
    case 'subscription_paid':
      return JSON.stringify(event.data);
    default: {
      // A type this version does not document still arrives at run time (Elenik adds types);
      // TypeScript has none left here, so read it through the UnknownEvent view.
      assertType<Equal<typeof event, never>>();
      const unknown: UnknownEvent = event;
      if (unknown.event === 'invoice_created') return String(unknown.data.invoice_id);
      return `${unknown.event} ${unknown.event.startsWith('x')}`;
    }
  }
}

if (parseEvent(body).event === 'task_complete') {
  const e = parseEvent(body);
  if (e.event === 'task_complete') assertType<Equal<typeof e.data.task_id, string>>();
  // @ts-expect-error narrowing is needed before reading type-specific fields
  e.data.task_id.toUpperCase();
}
// @ts-expect-error not a documented event type: a typo of payment_verified does not compile
const isTypo: boolean = parseEvent(body).event === 'payment_verifed';
// A type this version does not document, compared on purpose: through String().
const isKnown: boolean = String(parseEvent(body).event) === 'invoice_created';
// Event names are plain strings.
const eventName: string = parseEvent(body).event;
assertType<Equal<ElenikEvent['event'], 'task_complete' | 'payment_verified' | 'user_signup' | 'subscription_paid'>>();
// Fields Elenik sends besides the validated ones are typed, as optional.
const paymentId: string | undefined = sampleOf<PaymentVerifiedEvent>().data.payment_id;
// @ts-expect-error payment_id may be absent
const paymentIdSure: string = sampleOf<PaymentVerifiedEvent>().data.payment_id;
declare function sampleOf<E>(): E;

handle(constructEvent(body, header, secret));
handle(constructEvent(bytes, header, [secret, 'previous']));

// The error class and its codes.
try {
  constructEvent(body, header, secret);
} catch (error) {
  if (error instanceof WebhookVerificationError) {
    const code: ErrorCode = error.code;
    const name: 'WebhookVerificationError' = error.name;
    const message: string = error.message;
    if (error.code === 'SIGNATURE_MISMATCH') console.log(code, name, message);
    // @ts-expect-error not an error code (the codes are upper case)
    if (error.code === 'signature_mismatch') console.log(code);
    const status: 400 | 401 | 413 | 500 = error.status;
    // @ts-expect-error status is one of 400, 401, 413 and 500, never a success
    const ok: 200 = error.status;
    console.log(status, ok);
  }
}
const made = new WebhookVerificationError('INVALID_EVENT', 'hand-made');
// @ts-expect-error not an error code
new WebhookVerificationError('BAD_THING', 'nope');
// @ts-expect-error the code is read-only
made.code = 'INVALID_JSON';

// explainMismatch: why a signature did not verify (one secret; findings never hold the secret).
for (const finding of explainMismatch(body, header, secret)) {
  const findingCode: FindingCode = finding.code;
  const text: string = finding.message + finding.fix;
  // @ts-expect-error findings are read-only
  finding.code = 'BODY_REINDENTED';
}
// @ts-expect-error explainMismatch diagnoses one secret, not a rotation list
explainMismatch(body, header, [secret]);

// Verifier: rotation, tryVerify's union, sign, free, Symbol.dispose.
const verifier = new Verifier([secret, 'previous']);
const count: number = verifier.secretCount;
const outcome: VerifyResult = verifier.tryVerify(bytes, header);
if (outcome.ok) {
  const index: number = outcome.secretIndex;
  // @ts-expect-error a success has no code
  outcome.code;
} else {
  const code: ErrorCode = outcome.code;
  const why: string = outcome.message;
}
verifier.verify(body, header);
handle(verifier.constructEvent(body, header));
const signed: `sha256=${string}` = verifier.sign(body);
verifier[Symbol.dispose]();
verifier.free();
// @ts-expect-error a Verifier signs with its own secret
verifier.sign(body, secret);
// @ts-expect-error a number is not a secret
new Verifier(7);

// verifyRequest for fetch-style handlers.
async function fetchHandler(request: Request): Promise<Response> {
  try {
    const event = await verifyRequest(request, secret, { maxBodyBytes: 64 * 1024 });
    await verifyRequest(request.clone(), new Verifier(secret));
    if (event.event === 'payment_verified') return Response.json({ amount: event.data.amount });
    return new Response('ok');
  } catch (error) {
    if (error instanceof WebhookVerificationError) return new Response(error.code, { status: 401 });
    throw error;
  }
}
// @ts-expect-error maxBodyBytes is a number
verifyRequest(new Request('http://127.0.0.1/'), secret, { maxBodyBytes: '1mb' });

export { ok, firstType, codes, notAnEvent, isKnown, isTypo, eventName, paymentId, paymentIdSure, made, count, signed, fetchHandler };
