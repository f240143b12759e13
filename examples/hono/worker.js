// Runs app.js on Cloudflare Workers: a Hono app is a Worker's default export as it is.
export { default } from './app.js';
