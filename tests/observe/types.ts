// The types of onDelivery and the telemetry option, type-checked under `strict` against the real
// @opentelemetry/api module (scripts/test-observe.sh runs tsc on it).
import * as otel from '@opentelemetry/api';
import { createReceiver, type DeliveryOutcome, type Receiver } from 'elenik-webhooks';

const receiver: Receiver = createReceiver({ secret: 'whsec_types', telemetry: otel, production: false, now: () => Date.now() })
  .onDelivery((outcome: DeliveryOutcome) => {
    const status: number = outcome.status;
    const duplicate: boolean = outcome.duplicate;
    const key: string | undefined = outcome.deliveryKey;
    const type: string | undefined = outcome.event;
    const ms: number = outcome.durationMs + (outcome.handlerMs ?? 0);
    if (outcome.code === 'SIGNATURE_MISMATCH' || outcome.code === 'STORE_UNAVAILABLE') return [status, duplicate, key, type, ms];
    return undefined;
  })
  .onDelivery(async () => {})
  .on('payment_verified', (event) => event.data.amount);
void receiver;

// @ts-expect-error telemetry is the @opentelemetry/api module, not a tracer
createReceiver({ secret: 'whsec_types', telemetry: otel.trace.getTracer('app') });
// @ts-expect-error production is a boolean
createReceiver({ secret: 'whsec_types', production: 'yes' });
// @ts-expect-error a hook receives the outcome, not (event, context)
createReceiver({ secret: 'whsec_types' }).onDelivery((outcome: DeliveryOutcome, context: { deliveryKey: string }) => [outcome, context]);
