// Usage: node scripts/check-sources.mjs
// Checks on pkg-template/'s hand-written sources that no runtime test sees:
// - no function is longer than MAX_FUNCTION_LINES: a longer one wants splitting along a seam;
// - no comment carries a measured figure (a time, a size, a percentage, a ratio): those go stale
//   in code and live in bench/NOTES.md, where the run that measured them is named.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const MAX_FUNCTION_LINES = 80;
const root = new URL('..', import.meta.url).pathname;
const acorn = createRequire(join(root, 'tests/runtimes/package.json'))('acorn');
const MEASURED = /(?:~|about |≈ ?)?\d+(?:\.\d+)?\s?(?:%|µs|us\b|ms\b|ns\b|KB\b|MB\b|x\b|×)/;

const problems = [];
const files = readdirSync(join(root, 'pkg-template'), { recursive: true })
  .filter((file) => file.endsWith('.js'))
  .map((file) => join(root, 'pkg-template', file));
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const name = relative(root, file);
  const comments = [];
  const ast = acorn.parse(text, { ecmaVersion: 'latest', sourceType: 'module', locations: true, onComment: comments });
  const visit = (node) => {
    if (/Function/.test(node.type)) {
      const lines = node.loc.end.line - node.loc.start.line + 1;
      if (lines > MAX_FUNCTION_LINES) {
        problems.push(`${name}:${node.loc.start.line}: function ${node.id?.name ?? '(anonymous)'} is ${lines} lines (at most ${MAX_FUNCTION_LINES})`);
      }
    }
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) if (child && typeof child.type === 'string') visit(child);
    }
  };
  visit(ast);
  for (const comment of comments) {
    const match = comment.value.match(MEASURED);
    if (match) problems.push(`${name}:${comment.loc.start.line}: a measured figure in a comment ("${match[0]}"): move it to bench/NOTES.md`);
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`check-sources: ${files.length} files, no function over ${MAX_FUNCTION_LINES} lines, no measured figure in a comment`);
