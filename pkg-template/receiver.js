// createReceiver(): verified, typed, deduplicated webhook handling with one core (`receive`) and two
// adapters, `fetch` (Workers, Deno, Bun, Hono, Next.js) and `node` (node:http, Express, Connect).
// api.js re-exports it. It imports the glue (which loads the Wasm) directly, not api.js: an import
// cycle made webpack inline the Node.js loader out of Next.js's file trace.
import { SIGNATURE_HEADER } from './constants.js';
import { deliveryKey, Verifier } from './elenik_webhooks.js';
import { WebhookVerificationError } from './error.js';
import { checkBodyLimit, DEFAULT_MAX_BODY_BYTES, readRequestBody, tooLarge } from './body.js';
import { memoryStore } from './store-memory.js';

const DEFAULT_LEASE_SECONDS = 60;
const DEFAULT_TTL_SECONDS = 7 * 24 * 60 * 60;
const JSON_HEADERS = { 'content-type': 'application/json' };
const NOT_ALLOWED = {
  error: 'METHOD_NOT_ALLOWED',
  message: 'Elenik delivers webhooks with POST; this endpoint accepts POST only',
};
const PARSED_BODY =
  'invalid payload: a body parser already read this request and kept only its parsed form, so the ' +
  'raw bytes Elenik signed are gone. Give the webhook route the raw body: mount the receiver ' +
  'before express.json() (or any global body parser), or use express.raw({ type: "*/*" }) on its ' +
  'route; on Fastify, add a content-type parser with parseAs: "buffer"';
const CONSUMED_BODY =
  'invalid payload: the request stream was already read by something else and no raw copy was ' +
  'kept (req.body or req.rawBody); mount the receiver before any middleware that reads the body';

const isBytes = (value) => value instanceof Uint8Array;
const isVerificationError = (error) => error instanceof WebhookVerificationError;

export function createReceiver(options = {}) {
  const { secret, maxBodyBytes = DEFAULT_MAX_BODY_BYTES, dedupe, logger = console } = options ?? {};
  checkBodyLimit(maxBodyBytes, 'createReceiver: ');
  // Built once: the HMAC key state is computed here, and a missing secret fails at start-up. A
  // function is called on the first request instead (where a build step such as `next build`
  // loads the module without the runtime's secrets); until it gives a valid secret, every request
  // is answered 500 INVALID_SECRET.
  const toVerifier = (value) => (value instanceof Verifier ? value : new Verifier(value));
  let verifier = typeof secret === 'function' ? null : toVerifier(secret);
  const guard = guardOptions(dedupe);
  const log = (level, ...args) => {
    if (logger && typeof logger[level] === 'function') logger[level](...args);
  };

  const typed = new Map(); // event type -> handlers, in registration order
  const any = [];
  const errorHandlers = [];

  const receiver = {
    on(type, handler) {
      const types = Array.isArray(type) ? type : [type];
      if (types.length === 0 || !types.every((t) => typeof t === 'string' && t.length > 0)) {
        throw new TypeError('receiver.on: type must be an event type or a non-empty array of them');
      }
      checkFunction('receiver.on', handler);
      for (const t of types) {
        if (!typed.has(t)) typed.set(t, []);
        typed.get(t).push(handler);
      }
      return receiver;
    },
    onAny(handler) {
      any.push(checkFunction('receiver.onAny', handler));
      return receiver;
    },
    onError(handler) {
      errorHandlers.push(checkFunction('receiver.onError', handler));
      return receiver;
    },
    receive,
    fetch: serveFetch,
    node: serveNode,
  };

  async function receive(payload, headers) {
    // 1. Verify and validate: nothing unverified reaches the store or a handler.
    let event;
    try {
      if (byteLength(payload, maxBodyBytes) > maxBodyBytes) throw tooLarge(maxBodyBytes);
      verifier ??= toVerifier(secret());
      event = verifier.constructEvent(payload, signatureOf(headers));
    } catch (error) {
      return errorResult(error);
    }
    const type = String(event.event);

    // 2. The delivery key. With the guard off it is what the key would be, hashed only if a
    // handler reads it.
    let context;
    let key;
    if (guard) {
      try {
        key = guard.key ? await guard.key(event, payload) : deliveryKey(payload);
        if (typeof key !== 'string' || key.length === 0) throw new TypeError('dedupe.key must return a non-empty string');
      } catch (error) {
        log('error', 'elenik-webhooks: dedupe.key failed; answered 500', error);
        return { status: 500, body: { error: 'DEDUPE_KEY_FAILED', message: 'the dedupe key function failed' }, event };
      }
      context = { deliveryKey: key, event, headers };
    } else {
      context = {
        get deliveryKey() {
          return (key ??= deliveryKey(payload));
        },
        event,
        headers,
      };
    }

    // 3. Claim it.
    let token;
    if (guard) {
      token = crypto.randomUUID();
      let state;
      try {
        state = await guard.store.claim(key, token, guard.leaseSeconds);
        if (state !== 'claimed' && state !== 'processing' && state !== 'done') {
          throw new TypeError(`store.claim returned ${JSON.stringify(state)}, not 'claimed', 'processing' or 'done'`);
        }
      } catch (error) {
        log('error', 'elenik-webhooks: the dedupe store failed to claim a delivery; answered 503', error);
        return {
          status: 503,
          body: { error: 'STORE_UNAVAILABLE', message: 'the duplicate guard is unavailable; retry later' },
          event,
        };
      }
      if (state === 'done') return { status: 200, body: { received: true, duplicate: true }, event, duplicate: true };
      if (state === 'processing') {
        return {
          status: 409,
          body: { error: 'DELIVERY_IN_PROGRESS', message: 'this delivery is being processed; retry later' },
          event,
        };
      }
    }

    // 4. Typed handlers, then onAny, one by one.
    try {
      const handlers = typed.get(type);
      if (handlers) for (const handler of handlers) await handler(event, context);
      for (const handler of any) await handler(event, context);
    } catch (error) {
      // 6. onError, then release so that Elenik's retry runs it again.
      if (errorHandlers.length === 0) log('error', `elenik-webhooks: a handler failed for ${type}; answered 500`, error);
      for (const handler of errorHandlers) {
        try {
          await handler(error, context);
        } catch (inner) {
          log('error', 'elenik-webhooks: an onError handler threw', inner);
        }
      }
      if (guard) {
        try {
          if (!(await guard.store.release(key, token))) {
            log('warn', 'elenik-webhooks: the delivery\'s claim was already lost when releasing it after a handler error');
          }
        } catch (inner) {
          log('warn', 'elenik-webhooks: releasing a failed delivery failed; it can run again once its lease lapses', inner);
        }
      }
      return { status: 500, body: { error: 'HANDLER_FAILED' }, event };
    }

    // 5. Done: remember it. The work is done even when that fails.
    if (guard) {
      let completed = false;
      let failure;
      try {
        completed = await guard.store.complete(key, token, guard.ttlSeconds);
      } catch (error) {
        failure = error;
      }
      if (completed !== true) {
        log(
          'warn',
          'elenik-webhooks: handled, but the dedupe store did not record it as done ' +
            '(its lease ran out, or the store failed); a retry of this delivery would run again',
          ...(failure ? [failure] : []),
        );
      }
    }
    return { status: 200, body: { received: true, event: type }, event };
  }

  async function serveFetch(request) {
    try {
      if (request.method !== 'POST') {
        return new Response(JSON.stringify(NOT_ALLOWED), { status: 405, headers: { ...JSON_HEADERS, allow: 'POST' } });
      }
      let result;
      try {
        result = await receive(await readRequestBody(request, maxBodyBytes), request.headers);
      } catch (error) {
        result = errorResult(error);
      }
      return new Response(JSON.stringify(result.body), { status: result.status, headers: JSON_HEADERS });
    } catch (error) {
      log('error', 'elenik-webhooks: receiver.fetch failed', error);
      return new Response(JSON.stringify({ error: 'INTERNAL_ERROR' }), { status: 500, headers: JSON_HEADERS });
    }
  }

  async function serveNode(req, res) {
    try {
      if (req.method !== 'POST') return send(res, 405, NOT_ALLOWED, { allow: 'POST' });
      let body;
      try {
        body = await nodeBody(req, maxBodyBytes);
      } catch (error) {
        if (!isVerificationError(error)) throw error;
        // An oversize body is left unread: close the connection rather than drain it.
        return send(res, error.status, errorBody(error), error.status === 413 ? { connection: 'close' } : undefined);
      }
      if (body === null) return; // the client went away
      const result = await receive(body, req.headers);
      return send(res, result.status, result.body);
    } catch (error) {
      log('error', 'elenik-webhooks: receiver.node failed', error);
      if (!res.headersSent) send(res, 500, { error: 'INTERNAL_ERROR' });
    }
  }

  return receiver;
}

function guardOptions(dedupe) {
  if (dedupe === false) return null;
  const options = dedupe === undefined || dedupe === true ? {} : isStore(dedupe) ? { store: dedupe } : dedupe;
  if (options === null || typeof options !== 'object') {
    throw new TypeError('createReceiver: dedupe must be a store, { store, key?, leaseSeconds?, ttlSeconds? }, or false');
  }
  const {
    store = memoryStore(),
    key,
    leaseSeconds = DEFAULT_LEASE_SECONDS,
    ttlSeconds = DEFAULT_TTL_SECONDS,
  } = options;
  if (!isStore(store)) throw new TypeError('createReceiver: dedupe.store must have claim, complete and release methods');
  if (key !== undefined) checkFunction('createReceiver: dedupe.key', key);
  for (const [name, value] of [['leaseSeconds', leaseSeconds], ['ttlSeconds', ttlSeconds]]) {
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new RangeError(`createReceiver: dedupe.${name} must be a positive number of seconds`);
    }
  }
  return { store, key, leaseSeconds, ttlSeconds };
}

const isStore = (value) =>
  value !== null &&
  typeof value === 'object' &&
  typeof value.claim === 'function' &&
  typeof value.complete === 'function' &&
  typeof value.release === 'function';

function checkFunction(where, value) {
  if (typeof value !== 'function') throw new TypeError(`${where}: expected a function`);
  return value;
}

const errorBody = (error) => ({ error: error.code, message: error.message });

function errorResult(error) {
  if (!isVerificationError(error)) throw error;
  return { status: error.status, body: errorBody(error) };
}

// At least the payload's size in bytes, exact when it matters: a string's UTF-8 length is only
// counted when its length alone cannot settle it against the limit.
function byteLength(payload, limit) {
  if (typeof payload === 'string') {
    if (payload.length > limit) return payload.length;
    if (payload.length * 3 <= limit) return payload.length;
    return new TextEncoder().encode(payload).byteLength;
  }
  try {
    if (payload instanceof ArrayBuffer || ArrayBuffer.isView(payload)) return payload.byteLength;
  } catch {
    // A view of a detached buffer: constructEvent answers INVALID_PAYLOAD.
  }
  return 0; // not a payload at all: constructEvent answers INVALID_PAYLOAD
}

// A Node.js headers object has lower-case names: its signature header is read directly, which
// spares the core its case-insensitive search over every key. Anything else goes as it is.
function signatureOf(headers) {
  if (headers !== null && typeof headers === 'object' && !Array.isArray(headers) && !ArrayBuffer.isView(headers)) {
    if (typeof headers.get !== 'function' && Object.hasOwn(headers, SIGNATURE_HEADER)) {
      const value = headers[SIGNATURE_HEADER];
      if (typeof value === 'string') return value;
    }
  }
  return headers;
}

function send(res, status, body, extraHeaders) {
  const json = JSON.stringify(body);
  const headers = { ...JSON_HEADERS, 'content-length': Buffer.byteLength(json) };
  if (extraHeaders) Object.assign(headers, extraHeaders);
  res.writeHead(status, headers);
  res.end(json);
}

/**
 * The raw body of a Node.js request: a copy a framework kept (req.rawBody, or req.body as bytes
 * from express.raw), else the stream itself, up to `limit` bytes. `null` when the client aborted.
 */
function nodeBody(req, limit) {
  const { rawBody, body } = req;
  if (isBytes(rawBody) || typeof rawBody === 'string') return rawBody;
  if (isBytes(body)) return body;
  if (body !== undefined && body !== null) {
    // Express 4's parsers leave `{}` on requests they skip (req._body unset): the stream is intact.
    const skipped = req._body !== true && !req.readableEnded && isEmptyObject(body);
    if (!skipped) throw new WebhookVerificationError('INVALID_PAYLOAD', PARSED_BODY);
  }
  if (req.readableEnded) throw new WebhookVerificationError('INVALID_PAYLOAD', CONSUMED_BODY);
  if (Number(req.headers['content-length']) > limit) throw tooLarge(limit);
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const done = (settle, value) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onClose);
      settle(value);
    };
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        return done(reject, tooLarge(limit));
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(resolve, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    const onGone = () => done(resolve, null);
    // 'close' before 'end': the client aborted mid-body.
    const onClose = () => {
      if (!req.readableEnded) done(resolve, null);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onClose);
  });
}

function isEmptyObject(value) {
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  for (const _ in value) return false;
  return true;
}
