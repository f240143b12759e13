// The receiver's answers: every outcome of a delivery with its HTTP status and JSON body, in one
// table. Verification and event errors keep the core's own codes and statuses (the Rust table in
// src/error.rs, through WebhookVerificationError.status); the codes below are the receiver's.
// index.d.ts's ReceiverErrorCode and the README's "What it answers" table follow this table
// (tests/js/answers.test.mjs checks both).
import { WebhookVerificationError } from '../core/error.js';

/** The receiver's own error codes: status, and the message sent with it (none: only the code). */
export const RECEIVER_ERRORS = Object.freeze({
  METHOD_NOT_ALLOWED: { status: 405, message: 'Elenik delivers webhooks with POST; this endpoint accepts POST only' },
  DELIVERY_IN_PROGRESS: { status: 409, message: 'this delivery is being processed; retry later' },
  DEDUPE_KEY_FAILED: { status: 500, message: 'the dedupe key function failed' },
  // The handler's own message never leaves the server.
  HANDLER_FAILED: { status: 500, message: undefined },
  INTERNAL_ERROR: { status: 500, message: undefined },
  // The handlers run on and keep the claim until they settle: a retry meanwhile gets 409.
  HANDLER_TIMEOUT: { status: 503, message: 'the handlers did not finish within handlerTimeoutMs; retry later' },
  STORE_UNAVAILABLE: { status: 503, message: 'the duplicate guard is unavailable; retry later' },
  QUEUE_UNAVAILABLE: { status: 503, message: 'the queue did not accept this delivery; retry later' },
});

/**
 * An answer: `{ status, body, event?, duplicate? }`, a new object every time (a framework may
 * write into what it is handed).
 */
export function failure(code, event) {
  const { status, message } = RECEIVER_ERRORS[code];
  const body = message === undefined ? { error: code } : { error: code, message };
  return event === undefined ? { status, body } : { status, body, event };
}

/** The answer to a verification or event error (401, 400, 413, 500 by the core's table). */
export function rejected(error) {
  return { status: error.status, body: { error: error.code, message: error.message } };
}

export const received = (event, type) => ({ status: 200, body: { received: true, event: type }, event });

/** 200 once the queue holds the delivery (the `queue` option): its handlers run from there. */
export const queued = (event, type) => ({ status: 200, body: { received: true, event: type, queued: true }, event, queued: true });

export const duplicate = (event) => ({ status: 200, body: { received: true, duplicate: true }, event, duplicate: true });

export const isVerificationError = (error) => error instanceof WebhookVerificationError;
