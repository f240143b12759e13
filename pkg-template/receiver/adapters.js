// The receiver's two adapters over receive(): they only move bytes in and a status and JSON body
// out. `fetch` for fetch-style servers (Workers, Deno, Bun, Hono, Next.js), `node` for node:http,
// Express and Connect. Every response gets headers of its own: a framework may write into the
// object it is handed (@hono/node-server adds Content-Length to it).
import { readRequestBody } from '../core/body.js';
import { failure, isVerificationError, rejected } from './answers.js';
import { nodeBody } from './node-body.js';
import { CLIENT_CLOSED } from './observe.js';

const jsonHeaders = () => ({ 'content-type': 'application/json' });

/** The request's method for the record; a request whose getter throws is answered 500 below. */
function methodOf(request) {
  try {
    return request?.method;
  } catch {
    return undefined;
  }
}

/**
 * receiver.fetch: Request → Response. On Workers the third argument is the ExecutionContext: its
 * waitUntil keeps handlers that outrun handlerTimeoutMs alive after the answer (until they settle
 * and the claim is completed or released); elsewhere there is none, and none is needed.
 */
export function fetchAdapter(receiver, receive) {
  const respond = ({ status, body }, extra) =>
    new Response(JSON.stringify(body), { status, headers: extra ? { ...jsonHeaders(), ...extra } : jsonHeaders() });
  return async function fetch(request, env, ctx) {
    // Every answer passes through settle() once (observe.js): receive() settles its own.
    const record = receiver.observer.begin(methodOf(request));
    const settle = (answer) => receiver.observer.settle(record, answer);
    try {
      if (request.method !== 'POST') return respond(settle(failure('METHOD_NOT_ALLOWED')), { allow: 'POST' });
      let answer;
      try {
        answer = await receive(await readRequestBody(request, receiver.maxBodyBytes), request.headers, record, waitUntilOf(ctx));
      } catch (error) {
        if (!isVerificationError(error)) throw error;
        answer = settle(rejected(error));
      }
      return respond(answer);
    } catch (error) {
      receiver.log('error', 'elenik-webhooks: receiver.fetch failed', error);
      return respond(settle(failure('INTERNAL_ERROR')));
    }
  };
}

/** ctx.waitUntil bound to ctx, or undefined when there is none (or reading it throws). */
function waitUntilOf(ctx) {
  try {
    const waitUntil = ctx?.waitUntil;
    return typeof waitUntil === 'function' ? (promise) => waitUntil.call(ctx, promise) : undefined;
  } catch {
    return undefined;
  }
}

/** receiver.node: (req, res) for node:http, Express and Connect. */
export function nodeAdapter(receiver, receive) {
  return async function node(req, res) {
    // Every answer passes through settle() once (observe.js): receive() settles its own.
    const record = receiver.observer.begin(methodOf(req));
    const settle = (answer) => receiver.observer.settle(record, answer);
    try {
      if (req.method !== 'POST') return send(res, settle(failure('METHOD_NOT_ALLOWED')), { allow: 'POST' });
      let body;
      try {
        body = await nodeBody(req, receiver.maxBodyBytes);
      } catch (error) {
        if (!isVerificationError(error)) throw error;
        // An oversize body is left unread: close the connection rather than drain it.
        return send(res, settle(rejected(error)), error.status === 413 ? { connection: 'close' } : undefined);
      }
      if (body === null) return void settle(CLIENT_CLOSED); // the client went away
      const answer = receive(body, req.headers, record); // at once when every step answered at once
      return send(res, answer instanceof Promise ? await answer : answer);
    } catch (error) {
      receiver.log('error', 'elenik-webhooks: receiver.node failed', error);
      settle(failure('INTERNAL_ERROR'));
      try {
        if (!res.headersSent) send(res, failure('INTERNAL_ERROR'));
        else res.destroy?.(); // half an answer is no answer: end the socket rather than leave it
      } catch (inner) {
        // The response object itself fails: nothing more can be sent on it.
        receiver.log('error', 'elenik-webhooks: receiver.node could not answer', inner);
        try {
          res.destroy?.();
        } catch {
          // Gone already.
        }
      }
    }
  };
}

function send(res, { status, body }, extraHeaders) {
  const json = JSON.stringify(body);
  // A literal, not a spread of jsonHeaders(): the spread cost server CPU on every answer (bench/NOTES.md).
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) };
  if (extraHeaders) Object.assign(headers, extraHeaders);
  res.writeHead(status, headers);
  res.end(json);
}
