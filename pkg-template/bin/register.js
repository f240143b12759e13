// `elenik-webhooks register --url https://… --events a,b`: checks an endpoint registration as
// Elenik takes it (POST /api/webhooks with {"url","events"}), prints the request, and sends it
// only when given --api-url and a key (ELENIK_API_KEY, as Authorization: Bearer) or --header.
import { EVENT_TYPES } from '../index.js';
import {
  checkUrl, describeBody, failureHint, failureLine, out, parse, parseUrl, positiveInt, printable, statusHint, unknownType, UsageError,
} from './common.js';

export const API_KEY_ENV = 'ELENIK_API_KEY';
const REGISTER_PATH = '/api/webhooks';

export const REGISTER_HELP = `Usage: elenik-webhooks register --url URL --events TYPE[,TYPE...] [options]

Checks a webhook registration as Elenik takes it (an https:// URL, known event types, none
twice) and prints the request: POST ${REGISTER_PATH} with {"url","events"}. Nothing is sent
unless --api-url is given; then the key in $${API_KEY_ENV} goes as Authorization: Bearer (or
pass the header yourself with --header). Exits 0 when valid (and, if sent, answered 2xx).
Redirects are not followed: a 3xx is reported with its Location, and neither the request nor
its headers go there.

Options:
  --url URL          your receiver's endpoint: https:// only (required)
  --events LIST      comma-separated event types: ${EVENT_TYPES.join(', ')} (required)
  --api-url URL      Elenik's API base URL: send the request there (https://, or http:// on loopback)
  -H, --header H     an extra request header "Name: value"; repeatable; an Authorization header
                     replaces the Bearer key
  --timeout MS       give up after MS milliseconds (default 10000)
  -h, --help         show this help`;

export async function runRegister(args, { help, version }) {
  const { values, positionals } = parse('register', args, {
    url: { type: 'string' },
    events: { type: 'string' },
    'api-url': { type: 'string' },
    header: { type: 'string', short: 'H', multiple: true },
    timeout: { type: 'string' },
  });
  if (values.help) return help('register');
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (values.url === undefined) throw new UsageError('--url is required');
  if (values.events === undefined) throw new UsageError('--events is required');
  const url = registeredUrl(values.url);
  const events = eventList(values.events);
  const timeout = positiveInt('--timeout', values.timeout, 600_000, 10_000);

  const headers = { 'content-type': 'application/json', 'user-agent': `elenik-webhooks-cli/${version}` };
  const given = new Map(); // lower-cased name -> [name, value] from --header
  for (const header of values.header ?? []) {
    const match = header.match(/^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/);
    if (!match) throw new UsageError(`--header must be "Name: value", got ${JSON.stringify(header)}`);
    given.set(match[1].toLowerCase(), [match[1], match[2]]);
  }
  const apiKey = process.env[API_KEY_ENV];
  const authorization = given.has('authorization') ? 'from --header' : apiKey ? `Bearer $${API_KEY_ENV}` : null;
  const body = JSON.stringify({ url: url.href, events });

  const base = values['api-url'] === undefined ? null : checkUrl(values['api-url'], '--api-url');
  const target = base ? new URL(REGISTER_PATH, base) : null;
  out(`POST ${target ? target.href : REGISTER_PATH}`);
  out('Content-Type: application/json');
  // Header values may be secrets: names only, and the key never.
  if (authorization) out(`Authorization: <${authorization}>`);
  for (const [lower, [name]] of given) if (lower !== 'authorization') out(`${name}: <from --header>`);
  out('');
  out(body);
  if (!target) {
    out('');
    out(`valid; not sent (to send it: --api-url https://… with the key in ${API_KEY_ENV})`);
    return 0;
  }
  if (!authorization) throw new UsageError(`no API key: set ${API_KEY_ENV}, or pass --header "Authorization: …"`);
  if (apiKey && !given.has('authorization')) headers.authorization = `Bearer ${apiKey}`;
  for (const [name, value] of given.values()) headers[name.toLowerCase()] = value;

  // redirect: 'manual': the key and the body go to --api-url and nowhere else; a 3xx is reported.
  let response;
  try {
    response = await fetch(target, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeout) });
  } catch (error) {
    out(`\nfailed: ${failureLine(error)}`);
    const hint = failureHint(error, target, timeout);
    if (hint) out(`hint: ${hint}`);
    return 1;
  }
  const reply = describeBody(await response.text(), response.headers.get('content-type') ?? '');
  const location = response.headers.get('location');
  out(`\n${response.status} ${printable(response.statusText)}${location ? `\nLocation: ${printable(location)}` : ''}${reply ? `\n${reply}` : ''}`);
  const hint = statusHint(response.status, location, target, {
    use: 'pass its base URL as --api-url',
    route: `--api-url is the API's base URL; ${REGISTER_PATH} is added to it`,
  });
  if (hint) out(`hint: ${hint}`);
  return response.ok ? 0 : 1;
}

/** Elenik delivers to HTTPS endpoints only, with no credentials in the URL. */
function registeredUrl(text) {
  const url = parseUrl(text, '--url', { loopbackHttp: false });
  if (url.protocol !== 'https:') {
    throw new UsageError(`--url must be https:// (Elenik delivers over HTTPS only), got ${url.protocol}//` +
      (url.protocol === 'http:' ? `; did you mean https://${url.href.slice(7)}?` : ''));
  }
  if (url.username || url.password) throw new UsageError('--url must not contain a user name or password');
  if (url.hash) throw new UsageError('--url must not contain a #fragment');
  return url;
}

function eventList(text) {
  const events = text.split(',').map((type) => type.trim());
  if (events.some((type) => type === '')) throw new UsageError('--events has an empty entry');
  const seen = new Set();
  for (const type of events) {
    if (!EVENT_TYPES.includes(type)) throw new UsageError(unknownType(type));
    if (seen.has(type)) throw new UsageError(`--events lists ${type} twice`);
    seen.add(type);
  }
  return events;
}
