// The README's "Types this version does not know" snippet, type-checked under `strict` with the
// declarations it assumes (see readme-receiver.ts).
import { createReceiver } from 'elenik-webhooks';
import type { ElenikEvent, UnknownEvent } from 'elenik-webhooks';

const receiver = createReceiver({ secret: process.env.ELENIK_WEBHOOK_SECRET });
declare const event: ElenikEvent;

receiver.onUnknown('invoice_created', (event) => console.log(event.data.invoice_id)); // an UnknownEvent
switch (event.event) {
  case 'payment_verified': /* … */ break;
  default: {
    const other: UnknownEvent = event; // typed never here: a type this version does not know
    if (other.event === 'invoice_created') { /* … */ }
  }
}

export const isInvoice: boolean = String(event.event) === 'invoice_created';
