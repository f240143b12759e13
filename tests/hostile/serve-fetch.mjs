// The hostile app (app.mjs) on Bun.serve or Deno.serve, in its own process:
//   bun serve-fetch.mjs | deno run --allow-net --allow-env --allow-read serve-fetch.mjs
// Prints "LISTENING <url>"; stops by itself after five minutes.
import * as pkg from 'elenik-webhooks';
import { createApp } from './app.mjs';

const app = createApp(pkg);
const g = globalThis;
if (g.Deno) {
  g.Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: ({ port }) => console.log(`LISTENING http://127.0.0.1:${port}`) }, app.fetch);
  setTimeout(() => g.Deno.exit(0), 300_000);
} else {
  const server = g.Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: app.fetch });
  console.log(`LISTENING http://127.0.0.1:${server.port}`);
  setTimeout(() => process.exit(0), 300_000).unref();
}
