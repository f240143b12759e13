// The hostile app (app.mjs) as a Cloudflare Worker, bundled by wrangler and served by workerd.
import * as pkg from 'elenik-webhooks';
import { createApp } from './app.mjs';

let app;
export default {
  fetch(request, env, ctx) {
    app ??= createApp(pkg);
    return app.fetch(request, env, ctx);
  },
};
