// The README's snippets without the receiver (node:http, Express, Workers, Next.js by hand),
// type-checked under `strict`, each in its own block (see readme-receiver.ts).
import express from 'express';
import { createServer } from 'node:http';
import { constructEvent, Verifier, verifyRequest, WebhookVerificationError } from 'elenik-webhooks';

// Node.js (node:http) without the receiver.
{
  const verifier = new Verifier(process.env.ELENIK_WEBHOOK_SECRET); // once, at start-up

  createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk); // the raw bytes, untouched
    try {
      const event = verifier.constructEvent(Buffer.concat(chunks), req.headers);
      if (event.event === 'payment_verified') console.log(event.data.amount, event.data.currency);
      res.writeHead(200).end();
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      res.writeHead(error.status).end(error.code); // 401 bad signature, 400 bad event, 413 too large
    }
  }).listen(8787);
}

// Express, with express.raw (the README's CommonJS `require`s as imports).
{
  const app = express();
  app.post('/webhooks/elenik', express.raw({ type: 'application/json' }), (req, res) => {
    const event = constructEvent(req.body, req.headers, process.env.ELENIK_WEBHOOK_SECRET); // req.body is a Buffer
    res.sendStatus(200);
  });
}

// Cloudflare Workers, Deno, Bun, Hono.
const worker = {
  async fetch(request: Request, env: { ELENIK_WEBHOOK_SECRET?: string }) {
    try {
      const event = await verifyRequest(request, env.ELENIK_WEBHOOK_SECRET);
      return Response.json({ received: event.event });
    } catch (error) {
      if (error instanceof WebhookVerificationError) return new Response(error.code, { status: error.status });
      throw error;
    }
  },
};

// Next.js, by hand: app/api/webhooks/route.js
export const runtime = 'edge'; // or leave it out for Node.js
export async function POST(request: Request) {
  try {
    const event = await verifyRequest(request, process.env.ELENIK_WEBHOOK_SECRET);
    return Response.json({ received: event.event });
  } catch (error) {
    if (error instanceof WebhookVerificationError) return Response.json({ error: error.code }, { status: error.status });
    throw error;
  }
}

export { worker };
