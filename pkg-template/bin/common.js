// Shared by the CLI's commands: usage errors, output, option parsing, the secret.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseArgs, parseEnv } from 'node:util';
import { EVENT_TYPES } from '../index.js';

export const SECRET_ENV = 'ELENIK_WEBHOOK_SECRET';

/** A mistake in how the command was called: reported on stderr with exit code 2. */
export class UsageError extends Error {}

export const out = (text) => process.stdout.write(`${text}\n`);

/** parseArgs with the shared --help option; usage errors keep the command's name for the hint. */
export function parse(command, args, options) {
  const end = args.indexOf('--');
  const at = args.slice(0, end < 0 ? undefined : end).findIndex((arg) => arg === '--env-file' || arg.startsWith('--env-file='));
  if (at >= 0) {
    const file = args[at].startsWith('--env-file=') ? args[at].slice('--env-file='.length) : (args[at + 1] ?? 'FILE');
    throw new UsageError(
      `--env-file is now ${SECRETS_FILE}: Node.js 20 reads --env-file itself, before this CLI starts; pass ${SECRETS_FILE} ${file}`,
      { cause: command },
    );
  }
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

// Not --env-file: Node.js 20 reads that flag itself even after the script name, loading the file
// (NODE_OPTIONS lines included) before the CLI starts, or exiting 9 when it is missing.
export const SECRETS_FILE = '--secrets-file';
export const SECRET_OPTION = { secret: { type: 'string', short: 's' }, 'secrets-file': { type: 'string' } };

/** The secret: --secret, else ELENIK_WEBHOOK_SECRET from --secrets-file FILE, else from the environment. */
export function secretFrom(values, { required = true } = {}) {
  const file = values['secrets-file'];
  const secret = values.secret ?? (file !== undefined ? readEnvFile(file)[SECRET_ENV] : process.env[SECRET_ENV]);
  if (!secret && required) {
    throw new UsageError(
      file !== undefined ? `no ${SECRET_ENV} in ${file}` : `no secret: pass --secret or ${SECRETS_FILE}, or set ${SECRET_ENV}`,
    );
  }
  return secret || undefined;
}

/** The variables of a .env or .dev.vars file, parsed by Node.js's own rules (util.parseEnv). */
export function readEnvFile(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error.message}`);
  }
  return parseEnv(text);
}

export const unknownType = (type) => `unknown event type '${type}'; known: ${EVENT_TYPES.join(', ')}`;

/** An integer option from 1 to max, or `fallback` when absent. */
export const positiveInt = (name, value, max, fallback) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${name} must be an integer from 1 to ${max}`);
  return n;
};

/** Elenik registers HTTPS endpoints only; plain HTTP is for receivers on this machine. */
export function checkUrl(text, option = '--url') {
  const url = parseUrl(text, option, { loopbackHttp: true });
  if (url.protocol === 'https:') return url;
  if (url.protocol !== 'http:') throw new UsageError(`${option} must be https:// (got ${url.protocol})`);
  if (!isLoopback(url)) {
    throw new UsageError(
      `refusing plain http:// to ${url.hostname}: Elenik only delivers to https:// endpoints; ` +
        `http:// is allowed for loopback hosts (localhost, 127.0.0.1, [::1]) only; did you mean https://${url.href.slice(7)}?`,
    );
  }
  return url;
}

/** The checkUrl rule as a verdict: null when `text` passes it, else why not. */
function refusedBy(text) {
  try {
    checkUrl(text);
    return null;
  } catch (error) {
    if (error instanceof UsageError) return error.message.replace(/^--url /, '');
    throw error;
  }
}

const isLoopback = (url) => {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || (isIP(host) === 4 && host.startsWith('127.')) || host === '::1';
};

/**
 * `text` as a URL; a URL typed without its scheme (`localhost:8787`, which parses as the scheme
 * `localhost:`, or `127.0.0.1:8787/x`, which does not parse) gets the one it was meant to have.
 */
export function parseUrl(text, option, { loopbackHttp }) {
  const meant = withScheme(text, loopbackHttp);
  const hint = meant ? `; did you mean ${meant}?` : '';
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${option} is not a URL: ${text}${hint}`);
  }
  if (meant && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${option} has no http:// or https:// in front: ${text}${hint}`);
  }
  return url;
}

function withScheme(text, loopbackHttp) {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /\s/.test(text)) return null;
  const bare = text.replace(/^\/\//, '');
  let url;
  try {
    url = new URL(`http://${bare}`);
  } catch {
    return null;
  }
  if (!url.hostname.includes('.') && url.hostname !== 'localhost' && !url.hostname.startsWith('[')) return null;
  return loopbackHttp && isLoopback(url) ? url.href : `https://${url.href.slice(7)}`;
}

// What came back, for a person: the whole JSON body, a summary of an HTML page, a hint per mistake.

const TEXT_LIMIT = 2000;

/** A response body on one line: JSON whole, HTML summarised, other text whole up to 2000 characters. */
export function describeBody(text, contentType = '') {
  if (text.trim() === '') return '';
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    // not JSON
  }
  if (/\bhtml\b/i.test(contentType) || /^\s*<(!doctype|html|head|body|title|h1|pre|p)\b/i.test(text)) return summariseHtml(text);
  const line = printable(text.replace(/\s+/g, ' ').trim());
  return line.length > TEXT_LIMIT ? `${words(line, TEXT_LIMIT)} (${line.length} characters in all)` : line;
}

/** An HTML page as its size, title and first words of text: never cut inside a tag or a word. */
function summariseHtml(html) {
  const decode = (s) =>
    s.replace(/&(lt|gt|amp|quot|#39|nbsp);/g, (_, e) => ({ lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'", nbsp: ' ' })[e])
      .replace(/\s+/g, ' ')
      .trim();
  const title = printable(decode(html.match(/<title[^>]*>([\s\S]*?)<\/title>/i)?.[1] ?? ''));
  const text = printable(decode(
    html
      .replace(/<head[\s>][\s\S]*?<\/head>/i, ' ')
      .replace(/<(script|style)[\s>][\s\S]*?<\/\1>/gi, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<[^>]*>/g, ' '),
  ));
  const shown = text === title ? '' : words(text, 160);
  return `HTML page (${Buffer.byteLength(html)} bytes${title ? `, title "${words(title, 80)}"` : ''})${shown ? `: ${shown}` : ''}`;
}

/**
 * `text` with its control characters shown as \u escapes: what a server sends reaches a terminal,
 * and an ESC sequence in it could rewrite what the terminal shows.
 */
export const printable = (text) =>
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** `text` up to `limit` characters, cut between words, with … when something was left out. */
const words = (text, limit) => {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  const space = cut.lastIndexOf(' ');
  return `${space > limit / 2 ? cut.slice(0, space) : cut}…`;
};

/** Why a request got no answer, and what to check: for ECONNREFUSED, a timeout, DNS, TLS. */
export function failureHint(error, url, timeout) {
  const code = error.cause?.code ?? error.cause?.errors?.[0]?.code ?? error.code;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (error.name === 'TimeoutError' || error.name === 'AbortError') {
    return `no answer from ${url.host} within ${timeout} ms: is the receiver stuck in a handler? (--timeout MS waits longer)`;
  }
  if (error.cause?.message === 'bad port') {
    return `fetch never connects to port ${port} (a port the Fetch standard blocks): run the receiver on another port, such as 8787`;
  }
  switch (code) {
    case 'ECONNREFUSED':
      return `nothing is listening on ${url.hostname} port ${port}: is the receiver running, and on port ${port}? ` +
        '(npm start in an init project prints the URL it listens on)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${url.hostname} does not resolve: check the host name`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `${url.host} closed the connection without answering: does it speak ${url.protocol === 'https:' ? 'plain HTTP (use http:// on loopback)' : 'HTTPS (use https://)'}?`;
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'EPROTO':
      return `${url.host} does not speak TLS: for a receiver on this machine, use http://`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'CERT_HAS_EXPIRED':
      return `${url.host}'s TLS certificate is not trusted (${code}): for a receiver on this machine, use http://`;
    default:
      return null;
  }
}

/** The failure in one line: `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1`. */
export const failureLine = (error) => {
  const cause = error.cause?.errors?.[0] ?? error.cause;
  return `${cause?.code ?? error.name ?? 'error'}: ${cause?.message ?? error.message}`;
};

/**
 * What a 3xx, 404 or 405 from `url` most likely means. Redirects are never followed, so the body and
 * its headers go to the URL the user named and nowhere else; the Location is checked against the
 * same rule (checkUrl) to say whether passing it instead would be allowed.
 */
export function statusHint(status, location, url, { use, route }) {
  if (status >= 300 && status < 400) {
    if (!location) return `${status} without a Location: ${url.href} redirects, and redirects are not followed`;
    let target;
    try {
      target = new URL(location, url).href;
    } catch {
      return `${url.href} redirects (${status}) to an invalid Location; redirects are not followed`;
    }
    const refused = refusedBy(target);
    return `${url.href} redirects (${status}) to ${target}; redirects are not followed, so nothing was sent there. ` +
      (refused ? `That URL is refused anyway: ${refused}` : `If that is the right endpoint, ${use}`);
  }
  if (status === 404) {
    return `404: something answers on ${url.host}, but not at ${url.pathname}: the path is probably wrong (${route})`;
  }
  if (status === 405) return `405: ${url.pathname} does not take POST: ${route}`;
  return null;
}
