// The matrix cell for Cloudflare Workers, bundled by wrangler and served by workerd.
// GET /check runs the shared check; POST / verifies the request synchronously inside fetch(),
// after reading the body once as bytes.
import * as api from 'elenik-webhooks';
import vectors from './vectors.json';
import { runCheck } from './check.mjs';

const SECRET = 'worker-matrix-secret';

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/check') return Response.json(await runCheck(api, vectors));
    const body = new Uint8Array(await request.arrayBuffer());
    // From here on everything is synchronous: no await, no init.
    const valid = api.verify(body, request.headers, SECRET);
    try {
      const event = api.constructEvent(body, request.headers, SECRET);
      return Response.json({ valid, event });
    } catch (error) {
      if (!(error instanceof api.WebhookVerificationError)) throw error;
      return Response.json({ valid, code: error.code }, { status: error.code === 'INVALID_EVENT' || error.code === 'INVALID_JSON' ? 400 : 401 });
    }
  },
};
