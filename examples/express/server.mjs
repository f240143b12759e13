// An Elenik webhook receiver on Express 5.
//   ELENIK_WEBHOOK_SECRET=... node server.mjs     (PORT defaults to 8787; PORT=0 picks a free one)
import express from 'express';
import { createReceiver } from 'elenik-webhooks';

const secret = process.env.ELENIK_WEBHOOK_SECRET;
if (!secret) {
  console.error('Set ELENIK_WEBHOOK_SECRET to the endpoint secret shown in Elenik.');
  process.exit(2);
}

const receiver = createReceiver({ secret })
  .on('payment_verified', (event) => console.log(`payment ${event.data.amount} ${event.data.currency}`))
  .onAny((event) => console.log(`accepted ${event.event}`));

const app = express();
// Before any body parser: receiver.node reads the raw bytes Elenik signed itself. (After
// express.raw it uses req.body, the Buffer; after express.json the bytes are gone, and it answers
// 500 INVALID_PAYLOAD saying so.)
app.post('/webhooks/elenik', receiver.node);
// Other routes may parse JSON as usual.
app.use(express.json());
app.use((req, res) => res.status(404).json({ error: 'NOT_FOUND' }));

const server = app.listen(Number(process.env.PORT ?? 8787), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/webhooks/elenik`);
});
