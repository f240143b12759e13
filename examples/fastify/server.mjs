// An Elenik webhook receiver on Fastify 5.
//   ELENIK_WEBHOOK_SECRET=... node server.mjs     (PORT defaults to 8787; PORT=0 picks a free one)
import Fastify from 'fastify';
import { createReceiver } from 'elenik-webhooks';

const secret = process.env.ELENIK_WEBHOOK_SECRET;
if (!secret) {
  console.error('Set ELENIK_WEBHOOK_SECRET to the endpoint secret shown in Elenik.');
  process.exit(2);
}

const receiver = createReceiver({ secret })
  .on('payment_verified', (event) => console.log(`payment ${event.data.amount} ${event.data.currency}`))
  .onAny((event) => console.log(`accepted ${event.event}`));

const fastify = Fastify();

// The raw-body recipe: in this plugin's scope, application/json bodies stay the Buffer Elenik
// signed (Fastify's bodyLimit, 1 MiB by default, answers 413 for larger ones). Other routes,
// outside the scope, keep Fastify's JSON parser.
await fastify.register(async (webhooks) => {
  webhooks.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => done(null, body));
  webhooks.post('/webhooks/elenik', async (request, reply) => {
    const { status, body } = await receiver.receive(request.body, request.headers);
    return reply.code(status).send(body);
  });
});

await fastify.listen({ port: Number(process.env.PORT ?? 8787), host: '127.0.0.1' });
console.log(`listening on http://127.0.0.1:${fastify.server.address().port}/webhooks/elenik`);
