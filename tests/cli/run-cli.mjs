// Runs the installed `elenik-webhooks` bin as users run it (shared by the CLI test files).
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';

export const BIN = realpathSync(new URL('../node_modules/.bin/elenik-webhooks', import.meta.url));

/** Runs the bin; the secret is never inherited from the caller's environment. */
export function cli(args, { input, env = {}, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const { ELENIK_WEBHOOK_SECRET: _, ...inherited } = process.env;
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...inherited, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
