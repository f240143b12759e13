// `make demo`: starts server.mjs on 127.0.0.1, then fires events at it with the package's CLI
// (`elenik-webhooks trigger`): one correctly signed event of every known type, plus a tampered, a
// forged (wrong secret) and an unsigned request, and one delivery three times (the receiver handles
// it once and answers the copies as duplicates). Prints each verdict, stops the server, and exits
// non-zero if any verdict is not the expected one.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EVENT_TYPES } from 'elenik-webhooks';

// The CLI of the installed package, found through its package.json `bin`.
const packageJson = import.meta.resolve('elenik-webhooks/package.json');
const { bin } = JSON.parse(readFileSync(new URL(packageJson), 'utf8'));
const cli = fileURLToPath(new URL(bin['elenik-webhooks'], packageJson));

const secret = randomBytes(24).toString('base64url');
const server = spawn(process.execPath, [fileURLToPath(new URL('./server.mjs', import.meta.url))], {
  env: { ...process.env, ELENIK_WEBHOOK_SECRET: secret, PORT: '0' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const stopTimer = setTimeout(() => server.kill(), 60_000);

const [firstLine] = await once(server.stdout, 'data');
const url = String(firstLine).match(/http:\/\/\S+/)?.[0];
if (!url) throw new Error(`server did not start: ${firstLine}`);
server.stdout.resume(); // its "accepted ..." log lines are not needed here
console.log(`receiver: ${url}  (secret in ELENIK_WEBHOOK_SECRET, random for this run)\n`);

/** Runs `elenik-webhooks trigger ...` and returns the verdict it printed for its one request. */
async function trigger(label, args, expected) {
  console.log(`${label}\n  $ elenik-webhooks trigger ${args.join(' ')} --url ${url}`);
  const child = spawn(process.execPath, [cli, 'trigger', ...args, '--url', url], {
    env: { ...process.env, ELENIK_WEBHOOK_SECRET: secret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const [exitCode] = await once(child, 'close');
  const line = output.split('\n').find((l) => /^\d+ {2}\S+/.test(l)) ?? `(no request line; exit ${exitCode})`;
  const verdict = line.split(/\s+/)[1];
  const ok = verdict === expected;
  const summary = args.includes('--repeat') ? `\n  ${output.split('\n').find((l) => l.startsWith('summary:'))}` : '';
  console.log(`  ${line}${summary}${ok ? '' : `   <-- expected ${expected}`}\n`);
  return { verdict, ok };
}

const results = [];
for (const type of EVENT_TYPES) {
  results.push(await trigger(`signed ${type}`, [type], 'accepted'));
}
results.push(await trigger('tampered (amount changed after signing)', ['payment_verified', '--tamper'], 'rejected'));
results.push(await trigger('forged (signed with a guessed secret)', ['payment_verified', '--secret', 'guessed-secret'], 'rejected'));
results.push(await trigger('unsigned (no X-Elenik-Signature)', ['payment_verified', '--unsigned'], 'rejected'));
results.push(await trigger('one delivery sent 3 times, as retries are (handled once, then 200 duplicate)', ['payment_verified', '--repeat', '3'], 'accepted'));

server.kill();
clearTimeout(stopTimer);
const ok = results.every((r) => r.ok);
const count = (verdict) => results.filter((r) => r.verdict === verdict).length;
console.log(`${ok ? 'demo ok' : 'demo FAILED'}: ${count('accepted')} accepted, ${count('rejected')} rejected`);
process.exit(ok ? 0 : 1);
