#!/usr/bin/env node
// elenik-webhooks: write a receiver (init), sign and verify bodies, print sample events, fire
// signed test events at a receiver, and register an endpoint with Elenik, with the package's own
// Wasm core. Node built-ins only: no runtime dependencies.
// Exit codes: 0 ok, 1 verification failed (or a delivery was not answered as expected), 2 usage.
import { readFileSync } from 'node:fs';
import { EVENT_TYPES, explainMismatch, sign, Verifier, WebhookVerificationError } from '../index.js';
import { out, parse, SECRET_ENV, SECRET_OPTION, secretFrom, unknownType, UsageError } from './common.js';
import { EVENT_DESCRIPTIONS, sampleEvent } from '../testing/samples.js';
import { runInit, INIT_HELP, TEMPLATE_NAMES } from './init.js';
import { runRegister, REGISTER_HELP } from './register.js';
import { runTrigger } from './trigger.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const HELP = {
  main: `elenik-webhooks ${version}: receive, sign, verify and send test Elenik webhooks

Usage: elenik-webhooks <command> [options]

Commands:
  init TEMPLATE [--dir D]         write a runnable receiver (${TEMPLATE_NAMES.join(', ')})
  register --url U --events A,B   check (and with --api-url, send) an endpoint registration
  sign [FILE|-]                   print the X-Elenik-Signature value for a body
  verify --signature H [FILE|-]   check a signature; on failure, explain why
  events                          list the event types
  events sample TYPE              print a realistic sample body of TYPE
  trigger TYPE --url URL          send signed sample events to a receiver

The secret comes from --secret, from ${SECRET_ENV} in --secrets-file FILE (a .env or
.dev.vars), or, to keep it out of shell history, from ${SECRET_ENV} in the environment.
Run 'elenik-webhooks <command> --help' for a command's options.
Exit codes: 0 ok, 1 verification failed (or a request not answered as expected), 2 usage error.`,

  sign: `Usage: elenik-webhooks sign [--secret S] [FILE|-]

Prints the X-Elenik-Signature header value (sha256=<hex>) for the body in FILE, or on stdin
with '-' or no FILE. The bytes are signed exactly as read: a trailing newline is signed too.

Options:
  -s, --secret S       the endpoint secret (default: $${SECRET_ENV})
  --secrets-file FILE  read ${SECRET_ENV} from FILE (.env, .dev.vars)
  -h, --help           show this help`,

  verify: `Usage: elenik-webhooks verify [--secret S] --signature H [FILE|-]

Checks that H (the X-Elenik-Signature value) signs the body in FILE, or on stdin with '-' or
no FILE. Prints 'verified' and exits 0, or prints why not (missing header, body re-serialized,
newline in the secret...) and exits 1.

Options:
  --signature H        the X-Elenik-Signature header value (required)
  -s, --secret S       the endpoint secret (default: $${SECRET_ENV})
  --secrets-file FILE  read ${SECRET_ENV} from FILE (.env, .dev.vars)
  -h, --help           show this help`,

  events: `Usage: elenik-webhooks events
       elenik-webhooks events sample TYPE [--pretty]

Lists the documented event types, or prints a sample body of TYPE with fresh ids and the
current time. The body ends with a newline only on a terminal, so it can be piped to 'sign'.

Options:
  --pretty     indent the sample by 2 spaces
  -h, --help   show this help`,

  trigger: `Usage: elenik-webhooks trigger TYPE --url URL [options]

Sends sample events of TYPE (fresh ids and timestamps each), signed with the secret, as
POST requests to URL, and prints the status, latency and whole answer of each, a summary, and a
hint for the usual mistakes (wrong port, wrong path, wrong secret). Exits 0 when every request
was answered as expected: 2xx for signed events (or 409 for a --repeat copy), 4xx for
--tamper/--unsigned.
URL must be https://, except on a loopback host (localhost, 127.0.0.1, [::1]). Redirects are
not followed: a 3xx is reported with its Location, and nothing is sent there.

Options:
  --url URL           the receiver's endpoint (required)
  -s, --secret S      the endpoint secret (default: $${SECRET_ENV})
  --secrets-file FILE read ${SECRET_ENV} from FILE (.env, .dev.vars)
  --data JSON         fields merged over the sample's data (required for an unknown TYPE)
  -n, --count N       how many events to send (default 1, at most 100000)
  -r, --repeat R      send each event R times, identical bytes and signature, as Elenik's
                      retries are: the receiver should handle it once and answer the copies
                      200 duplicate (or 409 while the first is in progress, also expected)
  -c, --concurrency C how many requests in flight at once (default 1, at most 256)
  --tamper            change the body after signing it: the receiver must reject it
  --unsigned          send no signature header: the receiver must reject it
  --timeout MS        give up on a request after MS milliseconds (default 10000)
  --verbose           show each request's and response's headers (the signature, never the secret)
  -h, --help          show this help`,
};
HELP.init = INIT_HELP;
HELP.register = REGISTER_HELP;

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
  const commands = {
    sign: runSign,
    verify: runVerify,
    events: runEvents,
    trigger: (args) => runTrigger(args, { help, version }),
    init: (args) => runInit(args, { help, version }),
    register: (args) => runRegister(args, { help, version }),
  };
  if (!Object.hasOwn(commands, command)) throw new UsageError(`unknown command '${command}'`);
  return commands[command](rest);
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
