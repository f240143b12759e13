// The receiver's two adapters over receive(): they only move bytes in and a status and JSON body
// out. `fetch` for fetch-style servers (Workers, Deno, Bun, Hono, Next.js), `node` for node:http,
// Express and Connect. Every response gets headers of its own: a framework may write into the
// object it is handed (@hono/node-server adds Content-Length to it).
import { readRequestBody } from '../core/body.js';
import { failure, isVerificationError, rejected } from './answers.js';
import { nodeBody } from './node-body.js';
import { CLIENT_CLOSED } from './observe.js';

const jsonHeaders = () => ({ 'content-type': 'application/json' });

/** receiver.fetch: Request → Response. */
export function fetchAdapter(receiver, receive) {
  const respond = ({ status, body }, extra) =>
    new Response(JSON.stringify(body), { status, headers: extra ? { ...jsonHeaders(), ...extra } : jsonHeaders() });
  return async function fetch(request) {
    // Every answer passes through settle() once (observe.js): receive() settles its own.
    const record = receiver.observer.begin(request?.method);
    const settle = (answer) => receiver.observer.settle(record, answer);
    try {
      if (request.method !== 'POST') return respond(settle(failure('METHOD_NOT_ALLOWED')), { allow: 'POST' });
      let answer;
      try {
        answer = await receive(await readRequestBody(request, receiver.maxBodyBytes), request.headers, record);
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

/** receiver.node: (req, res) for node:http, Express and Connect. */
export function nodeAdapter(receiver, receive) {
  return async function node(req, res) {
    // Every answer passes through settle() once (observe.js): receive() settles its own.
    const record = receiver.observer.begin(req?.method);
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
      return send(res, await receive(body, req.headers, record));
    } catch (error) {
      receiver.log('error', 'elenik-webhooks: receiver.node failed', error);
      settle(failure('INTERNAL_ERROR'));
      if (!res.headersSent) send(res, failure('INTERNAL_ERROR'));
    }
  };
}

function send(res, { status, body }, extraHeaders) {
  const json = JSON.stringify(body);
  const headers = { ...jsonHeaders(), 'content-length': Buffer.byteLength(json) };
  if (extraHeaders) Object.assign(headers, extraHeaders);
  res.writeHead(status, headers);
  res.end(json);
}
