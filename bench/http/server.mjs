// A server for bench/http/bench.mjs, on 127.0.0.1 (a free port, printed): `node server.mjs KIND`.
// Every kind answers the same signed 1 KiB POST on `/`:
//   bare      reads the body, answers 200
//   receiver  http.createServer(receiver.node), dedupe: false, one no-op handler
//   hand      createHmac + timingSafeEqual + JSON.parse, what a careful user writes by hand
//   octokit   @octokit/webhooks' createNodeMiddleware (the same HMAC-SHA256 `sha256=` scheme,
//             under its own header name), one no-op handler
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const [kind] = process.argv.slice(2);
const secret = process.env.BENCH_SECRET;
const OK = '{"received":true}';

async function handler() {
  if (kind === 'receiver') {
    const { createReceiver } = await import('elenik-webhooks');
    return createReceiver({ secret, dedupe: false }).on('payment_verified', () => {}).node;
  }
  if (kind === 'octokit') {
    const { Webhooks, createNodeMiddleware } = await import('@octokit/webhooks');
    const webhooks = new Webhooks({ secret });
    webhooks.onAny(() => {});
    return createNodeMiddleware(webhooks, { path: '/', log: { debug() {}, info() {}, warn() {}, error: console.error } });
  }
  const answer = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  if (kind === 'bare') {
    return (req, res) => {
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        Buffer.concat(chunks);
        answer(res, 200, OK);
      });
    };
  }
  if (kind === 'hand') {
    return (req, res) => {
      if (req.method !== 'POST') return answer(res, 405, '{"error":"METHOD_NOT_ALLOWED"}');
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const header = req.headers['x-elenik-signature'];
        const given = typeof header === 'string' && header.startsWith('sha256=') ? Buffer.from(header.slice(7), 'hex') : Buffer.alloc(0);
        const expected = createHmac('sha256', secret).update(body).digest();
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) return answer(res, 401, '{"error":"SIGNATURE_MISMATCH"}');
        let event;
        try {
          event = JSON.parse(body);
        } catch {
          return answer(res, 400, '{"error":"INVALID_JSON"}');
        }
        answer(res, 200, JSON.stringify({ received: true, event: event.event }));
      });
    };
  }
  throw new Error(`unknown server kind ${kind}`);
}

const server = createServer(await handler());
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}/`));
