// Shared by the CLI's commands: usage errors, output, option parsing, the secret.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { EVENT_TYPES } from '../index.js';

export const SECRET_ENV = 'ELENIK_WEBHOOK_SECRET';

/** A mistake in how the command was called: reported on stderr with exit code 2. */
export class UsageError extends Error {}

export const out = (text) => process.stdout.write(`${text}\n`);

/** parseArgs with the shared --help option; usage errors keep the command's name for the hint. */
export function parse(command, args, options) {
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

export const SECRET_OPTION = { secret: { type: 'string', short: 's' }, 'env-file': { type: 'string' } };

/** The secret: --secret, else ELENIK_WEBHOOK_SECRET from --env-file FILE, else from the environment. */
export function secretFrom(values, { required = true } = {}) {
  const secret =
    values.secret ?? (values['env-file'] !== undefined ? readEnvFile(values['env-file'])[SECRET_ENV] : process.env[SECRET_ENV]);
  if (!secret && required) {
    throw new UsageError(
      values['env-file'] !== undefined
        ? `no ${SECRET_ENV} in ${values['env-file']}`
        : `no secret: pass --secret or --env-file, or set ${SECRET_ENV}`,
    );
  }
  return secret || undefined;
}

/** KEY=value lines of a .env or .dev.vars file (quotes around a value are removed; # comments). */
export function readEnvFile(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error.message}`);
  }
  const vars = {};
  for (const line of text.split(/\r?\n/)) {
    const match = line.match(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/);
    if (!match) continue;
    const [, key, raw] = match;
    vars[key] = /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw.replace(/\s+#.*$/, '');
  }
  return vars;
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
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${option} is not a URL: ${text}`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol !== 'http:') throw new UsageError(`${option} must be https:// (got ${url.protocol})`);
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
