// Usage: node check-messages.mjs TSC (in the consumer folder scripts/test-packaging.sh makes).
// Compiles messages.ts, which must fail, and checks each error against the `// expect:` and
// `// not:` comments just above its line; every commented line must have an error.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [tsc] = process.argv.slice(2);
writeFileSync('tsconfig.messages.json', JSON.stringify({ extends: './tsconfig.bundler.json', files: ['messages.ts'] }));
let output = '';
try {
  execFileSync(tsc, ['-p', 'tsconfig.messages.json'], { encoding: 'utf8' });
} catch (error) {
  output = error.stdout;
}
// Each error: its line number and its whole text (the first line and the indented elaboration).
const errors = new Map();
let current = null;
for (const line of output.split('\n')) {
  const start = /^messages\.ts\((\d+),\d+\): (.*)$/.exec(line);
  if (start) errors.set(Number(start[1]), (current = [start[2]]));
  else if (current && line.startsWith(' ')) current.push(line.trim());
}
const problems = [];
let expected = { expect: [], not: [] };
readFileSync('messages.ts', 'utf8')
  .split('\n')
  .forEach((line, index) => {
    const comment = /^\/\/ (expect|not): (.*)$/.exec(line);
    if (comment) return expected[comment[1]].push(comment[2]);
    if (expected.expect.length === 0) return;
    const text = (errors.get(index + 1) ?? []).join('\n');
    if (!text) problems.push(`messages.ts:${index + 1}: no error for: ${line}`);
    for (const part of expected.expect) if (!text.includes(part)) problems.push(`messages.ts:${index + 1}: no "${part}" in:\n${text}`);
    for (const part of expected.not) if (text.includes(part)) problems.push(`messages.ts:${index + 1}: "${part}" in:\n${text}`);
    errors.delete(index + 1);
    expected = { expect: [], not: [] };
  });
for (const [line, text] of errors) problems.push(`messages.ts:${line}: an error no comment expects:\n${text.join('\n')}`);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('error messages: each wrong use explains itself');
