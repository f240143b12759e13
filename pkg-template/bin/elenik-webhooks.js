#!/usr/bin/env node
// elenik-webhooks: sign and verify bodies, print sample events, and fire signed test events at a
// receiver, with the package's own Wasm core. Node built-ins only: no runtime dependencies.
// Exit codes: 0 ok, 1 verification failed (or a delivery was not answered as expected), 2 usage.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import {
  EVENT_TYPES,
  explainMismatch,
  sign,
  Verifier,
  WebhookVerificationError,
} from '../index.node.js';
import { EVENT_DESCRIPTIONS, sampleEvent } from './samples.js';

const SECRET_ENV = 'ELENIK_WEBHOOK_SECRET';
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const HELP = {
  main: `elenik-webhooks ${version}: sign, verify and send test Elenik webhooks

Usage: elenik-webhooks <command> [options]

Commands:
  sign [FILE|-]                   print the X-Elenik-Signature value for a body
  verify --signature H [FILE|-]   check a signature; on failure, explain why
  events                          list the event types
  events sample TYPE              print a realistic sample body of TYPE
  trigger TYPE --url URL          send signed sample events to a receiver

The secret comes from --secret or, to keep it out of shell history, from ${SECRET_ENV}.
Run 'elenik-webhooks <command> --help' for a command's options.
Exit codes: 0 ok, 1 verification failed, 2 usage error.`,

  sign: `Usage: elenik-webhooks sign [--secret S] [FILE|-]

Prints the X-Elenik-Signature header value (sha256=<hex>) for the body in FILE, or on stdin
with '-' or no FILE. The bytes are signed exactly as read: a trailing newline is signed too.

Options:
  -s, --secret S   the endpoint secret (default: $${SECRET_ENV})
  -h, --help       show this help`,

  verify: `Usage: elenik-webhooks verify [--secret S] --signature H [FILE|-]

Checks that H (the X-Elenik-Signature value) signs the body in FILE, or on stdin with '-' or
no FILE. Prints 'verified' and exits 0, or prints why not (missing header, body re-serialized,
newline in the secret...) and exits 1.

Options:
  --signature H    the X-Elenik-Signature header value (required)
  -s, --secret S   the endpoint secret (default: $${SECRET_ENV})
  -h, --help       show this help`,

  events: `Usage: elenik-webhooks events
       elenik-webhooks events sample TYPE [--pretty]

Lists the documented event types, or prints a sample body of TYPE with fresh ids and the
current time. The body ends with a newline only on a terminal, so it can be piped to 'sign'.

Options:
  --pretty     indent the sample by 2 spaces
  -h, --help   show this help`,

  trigger: `Usage: elenik-webhooks trigger TYPE --url URL [options]

Sends sample events of TYPE (fresh ids and timestamps each), signed with the secret, as
POST requests to URL, and prints the status and latency of each and a summary. Exits 0 when
every request was answered as expected: 2xx for signed events, 4xx for --tamper/--unsigned.
URL must be https://, except on a loopback host (localhost, 127.0.0.1, [::1]).

Options:
  --url URL           the receiver's endpoint (required)
  -s, --secret S      the endpoint secret (default: $${SECRET_ENV})
  --data JSON         fields merged over the sample's data (required for an unknown TYPE)
  -n, --count N       how many events to send (default 1, at most 100000)
  -c, --concurrency C how many requests in flight at once (default 1, at most 256)
  --tamper            change the body after signing it: the receiver must reject it
  --unsigned          send no signature header: the receiver must reject it
  --timeout MS        give up on a request after MS milliseconds (default 10000)
  -h, --help          show this help`,
};

class UsageError extends Error {}

const out = (text) => process.stdout.write(`${text}\n`);

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('no command given');
  if (command === '-h' || command === '--help' || command === 'help') {
    out(HELP[rest[0]] ?? HELP.main);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    out(version);
    return 0;
  }
  const commands = { sign: runSign, verify: runVerify, events: runEvents, trigger: runTrigger };
  if (!Object.hasOwn(commands, command)) throw new UsageError(`unknown command '${command}'`);
  return commands[command](rest);
}

/** parseArgs with the shared --help/--secret options; usage errors keep the command's name. */
function parse(command, args, options) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { help: { type: 'boolean', short: 'h' }, ...options },
    });
  } catch (error) {
    throw new UsageError(error.message, { cause: command });
  }
}

const SECRET_OPTION = { secret: { type: 'string', short: 's' } };

function secretFrom(values) {
  const secret = values.secret ?? process.env[SECRET_ENV];
  if (!secret) throw new UsageError(`no secret: pass --secret or set ${SECRET_ENV}`);
  return secret;
}

async function readBody(positionals) {
  if (positionals.length > 1) throw new UsageError(`expected one FILE, got ${positionals.length}`);
  const [file = '-'] = positionals;
  if (file !== '-') {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${error.message}`);
    }
  }
  if (process.stdin.isTTY) throw new UsageError('no body: pass a FILE, or pipe the body on stdin');
  // Streamed, not readFileSync(0): a pipe that is not ready yet fails that with EAGAIN.
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function runSign(args) {
  const { values, positionals } = parse('sign', args, SECRET_OPTION);
  if (values.help) return help('sign');
  const secret = secretFrom(values);
  out(sign(await readBody(positionals), secret));
  return 0;
}

async function runVerify(args) {
  const { values, positionals } = parse('verify', args, { ...SECRET_OPTION, signature: { type: 'string' } });
  if (values.help) return help('verify');
  if (values.signature === undefined) throw new UsageError('--signature is required');
  const secret = secretFrom(values);
  const body = await readBody(positionals);
  const verifier = new Verifier(secret);
  const outcome = verifier.tryVerify(body, values.signature);
  verifier.free();
  if (outcome.ok) {
    out('verified');
    return 0;
  }
  out(`failed: ${outcome.code}`);
  for (const finding of explainMismatch(body, values.signature, secret)) {
    out(`  ${finding.code}: ${finding.message}`);
    out(`    fix: ${finding.fix}`);
  }
  return 1;
}

function runEvents(args) {
  const { values, positionals } = parse('events', args, { pretty: { type: 'boolean' } });
  if (values.help) return help('events');
  if (positionals.length === 0) {
    for (const type of EVENT_TYPES) out(`${type.padEnd(18)} ${EVENT_DESCRIPTIONS[type]}`);
    return 0;
  }
  const [action, type, ...extra] = positionals;
  if (action !== 'sample') throw new UsageError(`unknown events action '${action}' (expected 'sample')`, { cause: 'events' });
  if (type === undefined || extra.length > 0) throw new UsageError('expected exactly one TYPE', { cause: 'events' });
  const event = sampleEvent(type);
  if (!event) throw new UsageError(unknownType(type), { cause: 'events' });
  const body = JSON.stringify(event, null, values.pretty ? 2 : undefined);
  process.stdout.write(process.stdout.isTTY ? `${body}\n` : body);
  return 0;
}

const unknownType = (type) => `unknown event type '${type}'; known: ${EVENT_TYPES.join(', ')}`;

const positiveInt = (name, value, max, fallback) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${name} must be an integer from 1 to ${max}`);
  return n;
};

/** Elenik registers HTTPS endpoints only; plain HTTP is for receivers on this machine. */
function checkUrl(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url is not a URL: ${text}`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol !== 'http:') throw new UsageError(`--url must be https:// (got ${url.protocol})`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    (isIP(host) === 4 && host.startsWith('127.')) ||
    host === '::1';
  if (!loopback) {
    throw new UsageError(
      `refusing plain http:// to ${url.hostname}: Elenik only delivers to https:// endpoints; ` +
        'http:// is allowed for loopback hosts (localhost, 127.0.0.1, [::1]) only',
    );
  }
  return url;
}

async function runTrigger(args) {
  const { values, positionals } = parse('trigger', args, {
    ...SECRET_OPTION,
    url: { type: 'string' },
    data: { type: 'string' },
    count: { type: 'string', short: 'n' },
    concurrency: { type: 'string', short: 'c' },
    tamper: { type: 'boolean' },
    unsigned: { type: 'boolean' },
    timeout: { type: 'string' },
  });
  if (values.help) return help('trigger');
  if (positionals.length !== 1) throw new UsageError('expected exactly one event TYPE');
  const [type] = positionals;
  if (values.url === undefined) throw new UsageError('--url is required');
  const url = checkUrl(values.url);
  const count = positiveInt('--count', values.count, 100_000, 1);
  const concurrency = Math.min(positiveInt('--concurrency', values.concurrency, 256, 1), count);
  const timeout = positiveInt('--timeout', values.timeout, 600_000, 10_000);
  if (values.tamper && values.unsigned) throw new UsageError('choose one of --tamper and --unsigned');
  let extra = {};
  if (values.data !== undefined) {
    try {
      extra = JSON.parse(values.data);
    } catch (error) {
      throw new UsageError(`--data is not JSON: ${error.message}`);
    }
    if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) {
      throw new UsageError('--data must be a JSON object');
    }
  }
  if (!EVENT_TYPES.includes(type) && values.data === undefined) {
    throw new UsageError(`${unknownType(type)} (pass --data to send an unknown type)`);
  }
  const secret = values.unsigned ? values.secret ?? process.env[SECRET_ENV] : secretFrom(values);
  const verifier = secret ? new Verifier(secret) : null;
  const mode = values.tamper ? 'tampered' : values.unsigned ? 'unsigned' : 'signed';
  const expectAccepted = mode === 'signed';

  const makeRequest = () => {
    const sample = sampleEvent(type) ?? { event: type, data: {} };
    // Spread, not Object.assign: a "__proto__" key in --data stays a plain field.
    const event = { ...sample, data: { ...sample.data, ...extra } };
    let body = JSON.stringify(event);
    const headers = { 'content-type': 'application/json', 'user-agent': `elenik-webhooks-cli/${version}` };
    if (mode !== 'unsigned') headers['x-elenik-signature'] = verifier.sign(body);
    if (mode === 'tampered') body = tamper(event);
    return { body, headers, id: firstId(event.data) };
  };

  out(`sending ${count} ${mode} ${type} event${count === 1 ? '' : 's'} to ${url.href}` +
    (concurrency > 1 ? `, ${concurrency} at a time` : ''));
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = ++next;
      const result = await deliver(url, makeRequest(), timeout);
      result.expected = result.status !== null && (expectAccepted ? isOk(result.status) : isRejected(result.status));
      results.push(result);
      const verdict = result.status === null ? 'error   ' : isOk(result.status) ? 'accepted' : 'rejected';
      out(`${String(n).padStart(String(count).length)}  ${verdict}  ${String(result.status ?? '---').padEnd(3)}  ` +
        `${result.ms.toFixed(1).padStart(7)} ms  ${type} ${result.id}  ${result.reply}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - started;
  verifier?.free();

  const unexpected = results.filter((r) => !r.expected).length;
  const byStatus = {};
  for (const r of results) byStatus[r.status ?? 'error'] = (byStatus[r.status ?? 'error'] ?? 0) + 1;
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))].toFixed(1);
  out(`summary: ${results.length} sent in ${(elapsed / 1000).toFixed(2)} s; ` +
    Object.entries(byStatus).map(([status, n]) => `${n} × ${status}`).join(', ') +
    `; latency p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${ms.at(-1).toFixed(1)} ms; ` +
    (unexpected === 0
      ? `all ${expectAccepted ? 'accepted' : 'rejected'} as expected`
      : `${unexpected} not ${expectAccepted ? 'accepted' : 'rejected'} as expected`));
  return unexpected === 0 ? 0 : 1;
}

const isOk = (status) => status >= 200 && status < 300;
const isRejected = (status) => status >= 400 && status < 500;
const firstId = (data) => Object.entries(data).find(([k, v]) => k.endsWith('_id') && typeof v === 'string')?.[1] ?? '';

/** The body changed after signing, as an attacker would: the amount, or an added field. */
function tamper(event) {
  const data = { ...event.data };
  if (typeof data.amount === 'number') data.amount = 0.01;
  else data.tampered = true;
  return JSON.stringify({ ...event, data });
}

async function deliver(url, { body, headers, id }, timeout) {
  const started = performance.now();
  try {
    const response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeout) });
    const text = await response.text();
    const reply = text.replace(/\s+/g, ' ').trim();
    return { status: response.status, ms: performance.now() - started, id, reply: reply.length > 80 ? `${reply.slice(0, 77)}...` : reply };
  } catch (error) {
    const reason = error.cause?.code ?? error.name ?? 'error';
    return { status: null, ms: performance.now() - started, id, reply: `${reason}: ${error.cause?.message ?? error.message}` };
  }
}

function help(command) {
  out(HELP[command]);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    const command = typeof error.cause === 'string' ? error.cause : process.argv[2];
    const hint = Object.hasOwn(HELP, command ?? '') && command !== 'main' ? ` ${command}` : '';
    process.stderr.write(`elenik-webhooks: ${error.message}\nRun 'elenik-webhooks${hint} --help' for usage.\n`);
    process.exitCode = 2;
  } else if (error instanceof WebhookVerificationError) {
    // A secret or body the core refuses (an empty secret, say): the user's input, not a failure.
    process.stderr.write(`elenik-webhooks: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
