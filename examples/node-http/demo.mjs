// `make demo`: starts server.mjs on 127.0.0.1, sends it one correctly signed event of every known
// type plus a tampered, a forged and an unsigned request, prints the verdicts, and stops.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { sign, EVENT_TYPES } from 'elenik-webhooks';

const secret = randomBytes(24).toString('base64url');
const server = spawn(process.execPath, [new URL('./server.mjs', import.meta.url).pathname], {
  env: { ...process.env, ELENIK_WEBHOOK_SECRET: secret, PORT: '0' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const stopTimer = setTimeout(() => server.kill(), 30_000);

const [firstLine] = await once(server.stdout, 'data');
const url = String(firstLine).match(/http:\/\/\S+/)?.[0];
if (!url) throw new Error(`server did not start: ${firstLine}`);
console.log(`receiver: ${url}\n`);

const now = Math.floor(Date.now() / 1000);
const samples = {
  task_complete: { task_id: 'task_8f2k1', status: 'completed', created_at: now },
  payment_verified: { user_id: 'u_123', amount: 49.99, currency: 'USD' },
  user_signup: { user_id: 'u_456', email: 'new.user@example.com' },
  subscription_paid: { subscription_id: 'sub_789', user_id: 'u_123', amount: 19, currency: 'EUR' },
};

async function deliver(label, body, headers) {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const reply = await response.json();
  const verdict = response.ok ? 'accepted' : 'rejected';
  console.log(`${verdict.padEnd(8)} ${String(response.status).padEnd(4)} ${label.padEnd(34)} ${reply.error ?? reply.event}`);
  return response.status;
}

const statuses = [];
for (const type of EVENT_TYPES) {
  const body = JSON.stringify({ event: type, data: samples[type] });
  statuses.push(await deliver(`signed ${type}`, body, { 'x-elenik-signature': sign(body, secret) }));
}
const body = JSON.stringify({ event: 'payment_verified', data: samples.payment_verified });
const tampered = body.replace('49.99', '0.01');
statuses.push(await deliver('tampered (amount changed)', tampered, { 'x-elenik-signature': sign(body, secret) }));
statuses.push(await deliver('forged (wrong secret)', body, { 'x-elenik-signature': sign(body, 'guessed-secret') }));
statuses.push(await deliver('unsigned', body, {}));

server.kill();
clearTimeout(stopTimer);
const expected = [200, 200, 200, 200, 401, 401, 401];
const ok = statuses.every((status, i) => status === expected[i]);
console.log(`\n${ok ? 'demo ok' : 'demo FAILED'}: ${statuses.filter((s) => s === 200).length} accepted, ${statuses.filter((s) => s !== 200).length} rejected`);
process.exit(ok ? 0 : 1);
