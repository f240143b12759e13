// bullmqQueue(queue, jobOptions?, options?): the receiver's `queue` on BullMQ (Redis). The user
// passes their own `Queue` (the package depends on no queue library); each verified delivery
// becomes one job whose data is the message (receiver/message.js) and whose name is the event
// type. A Worker runs it: new Worker(name, (job) => receiver.consume(job.data), { connection }).
//
// Failed jobs are the dead letters, so they are kept (removeOnFail: false) with their original
// bytes; completed ones are trimmed. The retry schedule must outlast the receiver's leaseSeconds:
// a job retried while a killed worker's claim still holds is refused (DELIVERY_IN_PROGRESS) and
// uses an attempt. The defaults (8 attempts, exponential backoff from 5 s) wait over ten minutes
// in all, against a default lease of a minute. The caller's jobOptions override them.
import { sendTimeout } from './check.js';

const DAY_SECONDS = 24 * 60 * 60;

export const BULLMQ_JOB_DEFAULTS = Object.freeze({
  attempts: 8,
  backoff: Object.freeze({ type: 'exponential', delay: 5000 }),
  removeOnComplete: Object.freeze({ age: DAY_SECONDS, count: 10_000 }),
  removeOnFail: false,
});

/**
 * @param {object} queue a BullMQ `Queue`
 * @param {object} [jobOptions] BullMQ job options, over BULLMQ_JOB_DEFAULTS
 * @param {{ timeoutMs?: number }} [options] how long one `add` may take before the receiver
 *   answers 503 (BullMQ waits for a Redis that is down). Default 5000.
 */
export function bullmqQueue(queue, jobOptions, options) {
  if (queue === null || typeof queue !== 'object' || typeof queue.add !== 'function') {
    throw new TypeError('bullmqQueue: takes a BullMQ Queue (new Queue(name, { connection }) from "bullmq")');
  }
  if (jobOptions !== undefined && (jobOptions === null || typeof jobOptions !== 'object')) {
    throw new TypeError('bullmqQueue: jobOptions must be an object of BullMQ job options');
  }
  const defaults = { ...BULLMQ_JOB_DEFAULTS, ...jobOptions };
  return {
    timeoutMs: sendTimeout('bullmqQueue', options),
    // A copy per job: BullMQ may write into the options it is given.
    send: (message) => queue.add(message.event, message, { ...defaults }),
  };
}
