// A server for bench.mjs, on 127.0.0.1 (a free port, printed): `bare` reads the body and answers
// 200; `receiver` is createReceiver's adapter with one no-op handler. DEDUPE=off turns the guard
// off; otherwise the default memory store. Runs under Node.js (http.createServer) and Bun
// (Bun.serve), whichever runs it.
import { createReceiver } from 'elenik-webhooks';

const [kind] = process.argv.slice(2);
const OK = '{"received":true}';
const receiver = createReceiver({
  secret: process.env.ELENIK_WEBHOOK_SECRET,
  ...(process.env.DEDUPE === 'off' && { dedupe: false }),
}).on('payment_verified', () => {});

if (globalThis.Bun) {
  const fetch =
    kind === 'bare'
      ? async (request) => {
          await request.arrayBuffer();
          return new Response(OK, { headers: { 'content-type': 'application/json' } });
        }
      : receiver.fetch;
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch });
  console.log(`listening on http://127.0.0.1:${server.port}/`);
} else {
  const { createServer } = await import('node:http');
  const bare = (req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      Buffer.concat(chunks);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': OK.length });
      res.end(OK);
    });
  };
  const server = createServer(kind === 'bare' ? bare : receiver.node);
  server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}/`));
}
