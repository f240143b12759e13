// Shared by the CLI's commands: usage errors, output, option parsing, the secret.
import { parseArgs } from 'node:util';
import { EVENT_TYPES } from '../index.node.js';

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

export const SECRET_OPTION = { secret: { type: 'string', short: 's' } };

export function secretFrom(values) {
  const secret = values.secret ?? process.env[SECRET_ENV];
  if (!secret) throw new UsageError(`no secret: pass --secret or set ${SECRET_ENV}`);
  return secret;
}


export const unknownType = (type) => `unknown event type '${type}'; known: ${EVENT_TYPES.join(', ')}`;


/** An integer option from 1 to max, or `fallback` when absent. */
export const positiveInt = (name, value, max, fallback) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${name} must be an integer from 1 to ${max}`);
  return n;
};
