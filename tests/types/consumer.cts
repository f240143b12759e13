// The CommonJS consumer (`.cts`, node16 resolution): `import` here compiles to `require`, which
// resolves the package's CommonJS declarations (index.d.cts). Same API, same narrowing.
import { Verifier, WebhookVerificationError, constructEvent, parseEvent, sign, verify, verifyRequest } from 'elenik-webhooks';
import type { ElenikEvent, ErrorCode, TaskCompleteEvent } from 'elenik-webhooks';
import elenik = require('elenik-webhooks');

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_proof?: T): void {}

const body = new TextEncoder().encode('{"event":"task_complete","data":{"task_id":"t","status":"ok","created_at":1}}');
const header = sign(body, 'secret');
const valid: boolean = verify(body, { 'x-elenik-signature': header }, 'secret');
const event: ElenikEvent = constructEvent(body, header, 'secret');
if (event.event === 'task_complete') {
  assertType<Equal<typeof event, TaskCompleteEvent>>();
  assertType<Equal<typeof event.data.task_id, string>>();
  // @ts-expect-error `amount` belongs to payment_verified
  event.data.amount;
}
const parsed = parseEvent(body);
const viaRequire: typeof verify = elenik.verify;
const verifier = new Verifier(['a', 'b']);
const result = verifier.tryVerify(body, header);
const code: ErrorCode | undefined = result.ok ? undefined : result.code;
const pending: Promise<ElenikEvent> = verifyRequest(new Request('http://127.0.0.1/'), verifier);
const error = new WebhookVerificationError('MISSING_SIGNATURE', 'none');
// @ts-expect-error a number is not a secret
verify(body, header, 1);
// @ts-expect-error not an error code
const wrong: ErrorCode = 'MISSING';

export = { valid, parsed, viaRequire, code, pending, error, wrong };
// The testing kit from CommonJS.
import testing = require('elenik-webhooks/testing');
const fromRequire: { body: string } = testing.createTestDelivery({ type: 'task_complete', secret: 'secret' });
