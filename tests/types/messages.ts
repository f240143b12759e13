// The error messages of wrong uses (tests/types/check-messages.mjs): each `// expect:` line
// names text the error on the next line must contain, and `// not:` text it must not, so a
// change that keeps the error but makes it cryptic again (`readonly never[]`) fails.
import { createReceiver } from 'elenik-webhooks';
import type { PaymentVerifiedEvent } from 'elenik-webhooks';

const receiver = createReceiver({ secret: 'whsec_test' });
// expect: '"payment_verifed"' is not assignable to parameter of type '"task_complete" | "payment_verified" | "user_signup" | "subscription_paid"
// not: never
receiver.on('payment_verifed', (e) => e);
// expect: Did you mean '"user_signup"'?
receiver.on(['task_complete', 'user_singup'], (e) => e);
// expect: is not assignable to parameter of type 'EventHandler<TaskCompleteEvent>'
// expect: Type '"task_complete"' is not assignable to type '"payment_verified"'
// not: never
receiver.on('task_complete', (e: PaymentVerifiedEvent) => e.data.amount);
// expect: Argument of type 'string' is not assignable to parameter of type 'EventHandler<TaskCompleteEvent>'
receiver.on('task_complete', 'handler');
// expect: payment_verified is a documented event type: use receiver.on
receiver.onUnknown('payment_verified', (e) => e);
