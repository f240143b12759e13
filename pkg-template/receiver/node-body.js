// The raw body of a Node.js request for receiver.node: a copy a framework kept, else the stream,
// never more than the limit, and never a wait on a stream that something else already read.
import { tooLarge } from '../core/body.js';
import { WebhookVerificationError } from '../core/error.js';

const PARSED_BODY =
  'invalid payload: a body parser already read this request and kept only its parsed form, so the ' +
  'raw bytes Elenik signed are gone. Give the webhook route the raw body: mount the receiver ' +
  'before express.json() (or any global body parser), or use express.raw({ type: "*/*" }) on its ' +
  'route; on Fastify, add a content-type parser with parseAs: "buffer"';
const CONSUMED_BODY =
  'invalid payload: the request stream was already read by something else and no raw copy was ' +
  'kept (req.body or req.rawBody); mount the receiver before any middleware that reads the body';

const isBytes = (value) => value instanceof Uint8Array;

/**
 * The raw body of a Node.js request: a copy a framework kept (req.rawBody, or req.body as bytes
 * from express.raw), else the stream itself, up to `limit` bytes. `null` when the client aborted.
 */
export function nodeBody(req, limit) {
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
