// `elenik-webhooks trigger`: signed sample events, POSTed to a receiver, with per-request status
// and latency and a summary. --repeat sends each delivery several times, byte for byte, as
// Elenik's retries do, to test the receiver's duplicate handling.
import { EVENT_TYPES, Verifier } from '../index.js';
import {
  checkUrl, describeBody, failureHint, failureLine, out, parse, positiveInt, printable, secretFrom, SECRET_OPTION, statusHint, UsageError,
  unknownType,
} from './common.js';
import { sampleEvent, tamperedBody } from '../testing/samples.js';

/** Runs the command; `help` prints its usage, `version` goes into the user-agent. */
export async function runTrigger(args, { help, version }) {
  const { values, positionals } = parse('trigger', args, {
    ...SECRET_OPTION,
    url: { type: 'string' },
    data: { type: 'string' },
    count: { type: 'string', short: 'n' },
    repeat: { type: 'string', short: 'r' },
    concurrency: { type: 'string', short: 'c' },
    tamper: { type: 'boolean' },
    unsigned: { type: 'boolean' },
    timeout: { type: 'string' },
    verbose: { type: 'boolean' },
  });
  if (values.help) return help('trigger');
  if (positionals.length !== 1) throw new UsageError('expected exactly one event TYPE');
  const [type] = positionals;
  const { url, events, repeat, count, concurrency, timeout, extra, verifier } = triggerOptions(type, values);
  const mode = values.tamper ? 'tampered' : values.unsigned ? 'unsigned' : 'signed';
  const expectAccepted = mode === 'signed';

  const makeRequest = () => {
    const sample = sampleEvent(type) ?? { event: type, data: {} };
    // Spread, not Object.assign: a "__proto__" key in --data stays a plain field.
    const event = { ...sample, data: { ...sample.data, ...extra } };
    let body = JSON.stringify(event);
    const headers = { 'content-type': 'application/json', 'user-agent': `elenik-webhooks-cli/${version}` };
    if (mode !== 'unsigned') headers['x-elenik-signature'] = verifier.sign(body);
    if (mode === 'tampered') body = tamperedBody(event);
    return { body, headers, id: firstId(event.data) };
  };

  out(`sending ${events} ${mode} ${type} event${events === 1 ? '' : 's'}` +
    (repeat > 1 ? `, each ${repeat} times (identical bytes and signature)` : '') +
    ` to ${url.href}` + (concurrency > 1 ? `, ${concurrency} at a time` : ''));
  const results = [];
  const hints = new Set();
  let next = 0;
  let current;
  const worker = async () => {
    while (next < count) {
      const n = ++next;
      // A new event every `repeat` requests; its copies are the same object, so the same bytes.
      if ((n - 1) % repeat === 0) current = makeRequest();
      const request = current;
      const result = await deliver(url, request, timeout);
      // A copy of a delivery still in progress is answered 409 (retry later): expected too.
      const inProgress = repeat > 1 && result.status === 409;
      result.expected =
        result.status !== null && (expectAccepted ? isOk(result.status) || inProgress : isRejected(result.status));
      results.push(result);
      if (result.hint) hints.add(result.hint);
      if (expectAccepted && result.status === 401) hints.add(SECRET_HINT);
      const verdict = result.status === null ? 'error   ' : isOk(result.status) ? 'accepted'
        : result.status < 400 ? 'redirect' : 'rejected';
      // One write per request, so concurrent requests never interleave their lines.
      out(`${String(n).padStart(String(count).length)}  ${verdict}  ${String(result.status ?? '---').padEnd(3)}  ` +
        `${result.ms.toFixed(1).padStart(7)} ms  ${type} ${request.id}  ${result.reply}` +
        (values.verbose ? `\n${exchange(url, request, result)}` : ''));
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - started;
  verifier?.free();

  const unexpected = summarize(results, elapsed, { repeat, expectAccepted });
  for (const hint of hints) out(`hint: ${hint}`);
  return unexpected === 0 ? 0 : 1;
}

/** The checked options of `trigger TYPE`: a UsageError for each mistake, before anything is sent. */
function triggerOptions(type, values) {
  if (values.url === undefined) throw new UsageError('--url is required');
  const url = checkUrl(values.url);
  const events = positiveInt('--count', values.count, 100_000, 1);
  const repeat = positiveInt('--repeat', values.repeat, 100_000, 1);
  const count = events * repeat;
  if (count > 100_000) throw new UsageError('--count × --repeat must be at most 100000');
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
  const secret = secretFrom(values, { required: !values.unsigned });
  const verifier = secret ? new Verifier(secret) : null;
  return { url, events, repeat, count, concurrency, timeout, extra, verifier };
}

/** Prints the summary line; returns how many answers were not the expected ones. */
function summarize(results, elapsed, { repeat, expectAccepted }) {
  const unexpected = results.filter((r) => !r.expected).length;
  const byStatus = {};
  for (const r of results) byStatus[r.status ?? 'error'] = (byStatus[r.status ?? 'error'] ?? 0) + 1;
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const pct = (p) => ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))].toFixed(1);
  const duplicates = results.filter((r) => r.duplicate).length;
  out(`summary: ${results.length} sent in ${(elapsed / 1000).toFixed(2)} s; ` +
    Object.entries(byStatus).map(([status, n]) => `${n} × ${status}`).join(', ') +
    (repeat > 1 && expectAccepted
      ? `; ${results.filter((r) => isOk(r.status) && !r.duplicate).length} handled as new, ${duplicates} answered as duplicates, ` +
        `${byStatus[409] ?? 0} in progress (409)`
      : '') +
    `; latency p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${ms.at(-1).toFixed(1)} ms; ` +
    (unexpected === 0
      ? `all ${expectAccepted ? 'accepted' : 'rejected'} as expected`
      : `${unexpected} not ${expectAccepted ? 'accepted' : 'rejected'} as expected`));
  return unexpected;
}

const SECRET_HINT =
  'a 401 to a signed event: the receiver holds another secret. Sign with the one it reads ' +
  '(--secrets-file .env reads the file init wrote; restart the receiver after changing it)';

const isOk = (status) => status >= 200 && status < 300;
const isRejected = (status) => status >= 400 && status < 500;
const firstId = (data) => Object.entries(data).find(([k, v]) => k.endsWith('_id') && typeof v === 'string')?.[1] ?? '';

/**
 * One POST, redirects not followed (redirect: 'manual'): the signed body goes to `url` and nowhere
 * else, whatever the receiver answers; a 3xx is reported with its Location instead.
 */
async function deliver(url, { body, headers }, timeout) {
  const started = performance.now();
  try {
    const response = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.timeout(timeout) });
    const text = await response.text();
    let duplicate = false;
    try {
      duplicate = JSON.parse(text)?.duplicate === true;
    } catch {
      // not JSON: the receiver is not elenik-webhooks' createReceiver
    }
    return {
      status: response.status,
      statusText: response.statusText,
      responseHeaders: [...response.headers],
      ms: performance.now() - started,
      duplicate,
      reply: describeBody(text, response.headers.get('content-type') ?? ''),
      hint: statusHint(response.status, response.headers.get('location'), url, {
        use: 'pass it as --url',
        route: "init's receivers take POST at /webhooks/elenik",
      }),
    };
  } catch (error) {
    return { status: null, ms: performance.now() - started, reply: failureLine(error), hint: failureHint(error, url, timeout) };
  }
}

/** --verbose: the request line and the headers trigger set, then the response's status and headers. */
function exchange(url, { body, headers }, result) {
  const lines = [`  > POST ${url.href}`];
  for (const [name, value] of Object.entries({ ...headers, 'content-length': Buffer.byteLength(body) })) lines.push(`  > ${name}: ${value}`);
  if (result.status === null) lines.push('  < (no response)');
  else {
    lines.push(`  < ${result.status} ${printable(result.statusText)}`);
    for (const [name, value] of result.responseHeaders) lines.push(`  < ${name}: ${printable(value)}`);
  }
  return lines.join('\n');
}
