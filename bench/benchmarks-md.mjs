// BENCHMARKS.md: bench/run.mjs writes the report, and other benches each own one section of it
// between their own markers, `<!-- NAME:start … -->` and `<!-- NAME:end -->` (make bench-http,
// bench-receiver, bench-dedupe, bench-queue). Each writer replaces only what is its own: a
// section its section, the report everything but the sections. No dependencies: the HTTP benches
// run from copies in target/ and import this file through ELENIK_ROOT.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const SECTIONS = /<!-- ([a-z-]+):start[\s\S]*?<!-- \1:end -->/g;

/** Puts `section` (which begins and ends with NAME's markers) into `path`, in place of NAME's old one. */
export function writeSection(path, name, section) {
  const text = section.trimEnd();
  const current = readFileSync(path, 'utf8');
  const marked = new RegExp(`<!-- ${name}:start[\\s\\S]*?<!-- ${name}:end -->`);
  // A function as the replacement: the section's own `$` characters stay as they are.
  writeFileSync(path, marked.test(current) ? current.replace(marked, () => text) : `${current.trimEnd()}\n\n${text}\n`);
}

/** Writes `report` to `path`, keeping the sections other benches wrote there (bench-queue is not part of make bench). */
export function writeReport(path, report) {
  const sections = existsSync(path) ? readFileSync(path, 'utf8').match(SECTIONS) ?? [] : [];
  writeFileSync(path, report);
  for (const section of sections) writeSection(path, section.match(/^<!-- ([a-z-]+):start/)[1], section);
}
