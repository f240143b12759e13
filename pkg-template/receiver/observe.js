// What operators see of the receiver: a log line for every rejection and failure (rate-limited per
// code), the outcome record each `onDelivery` hook gets, and, when the user passes the
// `@opentelemetry/api` module as `telemetry`, a span per delivery, a child span per handler, a
// deliveries counter and a handler-duration histogram.
//
// The seam: every answer passes through settle() once (steps.js receive() for the steps' answers,
// the adapters for theirs: 405, a body that cannot be read, an internal error). OpenTelemetry is
// never imported here: a static import of an optional peer breaks bundles that lack it, and a
// dynamic one is async and resolved differently by every bundler; the module the user hands us is
// the API they registered their SDK with.
import { explainMismatch } from '../core/diagnose.js';
import { isThenable, monotonicNow } from './deadline.js';

const LOG_WINDOW_MS = 10_000;
const MAX_LOG_KEYS = 256;

// Codes whose step already logs the cause (the error object) when it answers: settle() does not
// log them a second time. Every other failure is logged by settle().
const LOGGED_BY_STEP = new Set(['HANDLER_FAILED', 'HANDLER_TIMEOUT', 'DEDUPE_KEY_FAILED', 'STORE_UNAVAILABLE', 'QUEUE_UNAVAILABLE', 'INTERNAL_ERROR']);

// The receiver's own misconfiguration: logged as errors, with the fix.
const CONFIGURATION_FIX = {
  INVALID_SECRET:
    'fix: give createReceiver a secret; with `secret: () => process.env.ELENIK_WEBHOOK_SECRET` check the ' +
    'variable is set where the server runs (a function must return a string, bytes, or an array of 1 to 16)',
  INVALID_PAYLOAD:
    'fix: pass the raw body bytes (express.raw(), await request.arrayBuffer()), not a parsed object; ' +
    'mount the receiver before any body parser',
};

/** A request that ended without an answer because the client went away (nginx's 499). */
export const CLIENT_CLOSED = Object.freeze({ status: 499, body: { error: 'CLIENT_CLOSED' } });

/** What telemetry throws is dropped: a tracer or meter that fails changes no answer. */
function guarded(fn) {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/**
 * The observer for createReceiver's options: `logger`, `telemetry`, `production`, and `now` (a
 * clock in milliseconds, for tests). `secret()` gives the configured secret for explainMismatch.
 */
export function createObserver(options, secret) {
  const { logger = console, telemetry, production, now = monotonicNow } = options ?? {};
  if (typeof now !== 'function') throw new TypeError('createReceiver: now must be a function returning milliseconds');
  if (production !== undefined && typeof production !== 'boolean') throw new TypeError('createReceiver: production must be a boolean');
  const log = rateLimitedLog(logger, now);
  const otel = telemetry ? instruments(telemetry) : null;
  const hooks = [];
  const isProduction = () => production ?? nodeEnvIsProduction();
  const observer = {
    now,
    hooks,
    log,
    /** A record of one request, from its first byte. `method` is absent for receiver.receive(). */
    begin(method) {
      const record = { start: now(), method, settled: false, handlerMs: undefined, span: undefined };
      if (otel) record.span = guarded(() => otel.begin(method));
      return record;
    },
    /** Ends the record with `answer` (the first call only) and returns the answer unchanged. */
    settle(record, answer, delivery) {
      if (record.settled) return answer;
      record.settled = true;
      // A success with no hook and no telemetry: nothing reads the outcome.
      if (!otel && hooks.length === 0 && answer.status < 300) return answer;
      const outcome = outcomeOf(record, answer, delivery, now);
      logAnswer(log, outcome, answer.body?.message, () => (outcome.status === 401 && !isProduction() ? findings(delivery, secret) : ''));
      if (otel) guarded(() => otel.end(record, outcome));
      for (const hook of hooks) callHook(hook, outcome, log);
      return answer;
    },
    /**
     * How the run step calls a handler: timed into the record when a hook or telemetry reads it,
     * in a child span with telemetry, and as a plain call otherwise.
     */
    caller(delivery, record) {
      const { event, context } = delivery;
      if (!record || (!otel && hooks.length === 0)) return (handler) => handler(event, context);
      record.handlerMs ??= 0;
      return async (handler) => {
        const began = now();
        const span = otel && record.span ? guarded(() => otel.handler(record, delivery.type)) : undefined;
        try {
          return await (span ? otel.within(record, span, () => handler(event, context)) : handler(event, context));
        } catch (error) {
          if (span) guarded(() => span.failed(error));
          throw error;
        } finally {
          const ms = now() - began;
          record.handlerMs += ms;
          if (span) guarded(() => span.end(ms));
        }
      };
    },
  };
  return observer;
}

/** `{ status, code?, event?, deliveryKey?, duplicate, durationMs, handlerMs? }` for onDelivery. */
function outcomeOf(record, answer, delivery, now) {
  const outcome = { status: answer.status, duplicate: answer.duplicate === true, durationMs: now() - record.start };
  const code = answer.body?.error;
  if (code !== undefined) outcome.code = code;
  const type = delivery?.type;
  if (type !== undefined) outcome.event = type;
  if (typeof delivery?.key === 'string') outcome.deliveryKey = delivery.key;
  if (record.handlerMs !== undefined) outcome.handlerMs = record.handlerMs;
  return outcome;
}

/** The log line for an answer: error for 5xx, warn for other rejections, nothing for 2xx and 409. */
function logAnswer(log, outcome, message, explain) {
  const { status, code } = outcome;
  if (code === undefined || status === 409 || status === 499 || LOGGED_BY_STEP.has(code)) return;
  const level = status >= 500 ? 'error' : 'warn';
  log(level, code, () => {
    const parts = [`elenik-webhooks: answered ${status} ${code}`];
    if (outcome.event !== undefined) parts.push(`for ${outcome.event}`);
    let line = parts.join(' ');
    if (message) line += `: ${message}`;
    if (CONFIGURATION_FIX[code]) line += `; ${CONFIGURATION_FIX[code]}`;
    const found = explain();
    if (found) line += `; ${found}`;
    return [line];
  });
}

/** explainMismatch's finding codes for each configured secret; never a secret or a signature. */
function findings(delivery, secret) {
  if (!delivery) return '';
  let secrets;
  try {
    secrets = secret();
  } catch {
    return '';
  }
  const list = Array.isArray(secrets) ? secrets : [secrets];
  const fixes = new Map(); // finding code -> its fix (fixed text, never an input)
  try {
    for (const one of list) {
      if (typeof one !== 'string' && !(one instanceof Uint8Array)) return ''; // a Verifier: nothing to explain with
      for (const { code, fix } of explainMismatch(delivery.payload, delivery.headers, one)) fixes.set(code, fix);
    }
  } catch {
    return '';
  }
  if (fixes.size === 0) return '';
  return `explainMismatch finds ${[...fixes].map(([code, fix]) => `${code} (${fix})`).join(', ')}`;
}

/** NODE_ENV, read where `process` exists (and never throwing where reading it needs a permission). */
function nodeEnvIsProduction() {
  try {
    return typeof process !== 'undefined' && process.env?.NODE_ENV === 'production';
  } catch {
    return false;
  }
}

function callHook(hook, outcome, log) {
  try {
    const result = hook({ ...outcome });
    if (isThenable(result)) result.then(undefined, (error) => hookFailed(log, error));
  } catch (error) {
    hookFailed(log, error);
  }
}

const hookFailed = (log, error) =>
  log('error', 'ON_DELIVERY_FAILED', () => ['elenik-webhooks: an onDelivery hook failed; the answer was not changed', error]);

/**
 * log(level, key, lines): writes `lines()` (an array of arguments for the logger) unless a line of
 * the same key was written in the last LOG_WINDOW_MS; then it counts it, and the next line written
 * for that key says how many were not. `lines` is only called for a line that is written.
 */
export function rateLimitedLog(logger, now, windowMs = LOG_WINDOW_MS) {
  const windows = new Map(); // key -> { since, suppressed }, oldest first
  const write = (level, args) => {
    try {
      if (logger && typeof logger[level] === 'function') logger[level](...args);
    } catch {
      // A logger that throws is a logger that failed: the request is answered all the same.
    }
  };
  return function log(level, key, lines) {
    const at = now();
    const window = windows.get(key);
    if (window && at - window.since < windowMs) {
      window.suppressed += 1;
      return false;
    }
    let args;
    try {
      args = lines();
    } catch {
      return false;
    }
    if (window?.suppressed > 0) {
      const note = `(${window.suppressed} more like this since the last one were not logged)`;
      args = typeof args[0] === 'string' ? [`${args[0]} ${note}`, ...args.slice(1)] : [note, ...args];
    }
    windows.delete(key);
    if (windows.size >= MAX_LOG_KEYS) windows.delete(windows.keys().next().value);
    windows.set(key, { since: at, suppressed: 0 });
    write(level, args);
    return true;
  };
}

// ---- OpenTelemetry, through the API module the user passed ----

const OUTCOMES = { 401: 'rejected', 400: 'rejected', 405: 'rejected', 413: 'rejected', 409: 'in_progress', 499: 'client_closed', 503: 'unavailable' };

/** `elenik.outcome`: received, duplicate, rejected, in_progress, misconfigured, unavailable, failed, client_closed. */
export function outcomeName({ status, code, duplicate }) {
  if (status >= 200 && status < 300) return duplicate ? 'duplicate' : 'received';
  if (code in CONFIGURATION_FIX) return 'misconfigured';
  return OUTCOMES[status] ?? (status >= 500 ? 'failed' : 'rejected');
}

function instruments(api) {
  if (typeof api?.trace?.getTracer !== 'function' || typeof api?.metrics?.getMeter !== 'function' || !api.context) {
    throw new TypeError("createReceiver: telemetry must be the @opentelemetry/api module (import * as otel from '@opentelemetry/api')");
  }
  const tracer = api.trace.getTracer('elenik-webhooks');
  const meter = api.metrics.getMeter('elenik-webhooks');
  const deliveries = meter.createCounter('elenik.deliveries', { description: 'Webhook deliveries answered, by outcome', unit: '{delivery}' });
  const handlerDuration = meter.createHistogram('elenik.handler.duration', { description: 'Duration of each webhook handler', unit: 's' });
  const ERROR = api.SpanStatusCode?.ERROR ?? 2;
  return {
    begin(method) {
      const attributes = method === undefined ? {} : { 'http.request.method': method };
      return tracer.startSpan('elenik.delivery', { attributes }, api.context.active());
    },
    end(record, outcome) {
      const name = outcomeName(outcome);
      const { span } = record;
      deliveries.add(1, { 'elenik.outcome': name, 'http.response.status_code': outcome.status });
      if (!span) return;
      span.setAttribute('http.response.status_code', outcome.status);
      span.setAttribute('elenik.outcome', name);
      span.setAttribute('elenik.duplicate', outcome.duplicate);
      if (outcome.event !== undefined) span.setAttribute('elenik.event.type', outcome.event);
      if (outcome.deliveryKey !== undefined) span.setAttribute('elenik.delivery.key', outcome.deliveryKey);
      if (outcome.code !== undefined) span.setAttribute('error.type', outcome.code);
      if (outcome.status >= 500 && outcome.status !== 499) span.setStatus({ code: ERROR, message: outcome.code });
      span.end();
    },
    handler(record, type) {
      const parent = api.trace.setSpan(api.context.active(), record.span);
      const span = tracer.startSpan('elenik.handler', { attributes: { 'elenik.event.type': type } }, parent);
      let failed = false;
      return {
        span,
        failed(error) {
          failed = true;
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: ERROR });
        },
        end(ms) {
          span.end();
          handlerDuration.record(ms / 1000, { 'elenik.event.type': type, 'elenik.outcome': failed ? 'failed' : 'ok' });
        },
      };
    },
    /** Runs the handler with its span active, so that the user's own spans are its children. */
    within(record, handlerSpan, fn) {
      return api.context.with(api.trace.setSpan(api.context.active(), handlerSpan.span), fn);
    },
  };
}
