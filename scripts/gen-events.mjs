// Usage: node scripts/gen-events.mjs [--check]
// src/event/events.json is the one table of event types and their data fields. build.rs writes
// the Rust validation's part from it; this script writes the rest, between `<events>` markers:
// - pkg-template/index.d.ts: EVENT_TYPES, KnownEventType, one interface per type, KnownEvent;
// - pkg-template/testing/samples.js: EVENT_DESCRIPTIONS and each type's sample fields (the CLI's
//   `events sample`, `trigger`, and the testing kit's sampleEvent build on them).
// `--check` (make lint) writes nothing and fails if a file is not what the table gives, or if a
// known event type's name appears as a string literal in the package's or the core's code outside
// those sections (a second list of the types).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const TABLE = 'src/event/events.json';
const BEGIN = '<events: written by scripts/gen-events.mjs from src/event/events.json; edit that file, not this section>';
const END = '</events>';
const TS_TYPES = { id: 'string', string: 'string', timestamp: 'number', number: 'number', currency: 'string' };

const { types } = JSON.parse(readFileSync(join(root, TABLE), 'utf8'));
const quote = (text) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

function declarations() {
  const lines = [
    '/** The event types Elenik documents. A handler for another type needs `receiver.onUnknown`. */',
    `export declare const EVENT_TYPES: readonly [${types.map((t) => quote(t.name)).join(', ')}];`,
    '',
    '/** A documented event type. */',
    'export type KnownEventType = (typeof EVENT_TYPES)[number];',
  ];
  for (const type of types) {
    lines.push('', `/** \`${type.name}\`: ${type.description}. */`, `export interface ${type.variant}Event {`);
    lines.push(`  event: ${quote(type.name)};`, '  data: {');
    for (const field of type.fields) {
      const docs = [field.doc, field.required ? null : 'Sent by Elenik, not validated: may be absent.'].filter(Boolean);
      if (docs.length > 0) lines.push(`    /** ${docs.join(' ')} */`);
      lines.push(`    ${field.name}${field.required ? '' : '?'}: ${TS_TYPES[field.type]};`);
    }
    lines.push('  };', '  [key: string]: JsonValue;', '}');
  }
  lines.push(
    '',
    '/**',
    ' * An event of a documented type. `data` lists the fields Elenik sends for the type (those it',
    " * validates are always present): reading another type's field, or a typo, does not compile.",
    ' */',
    `export type KnownEvent = ${types.map((t) => `${t.variant}Event`).join(' | ')};`,
  );
  return lines;
}

function samples() {
  const lines = ['/** What each documented event type means. */', 'export const EVENT_DESCRIPTIONS = Object.freeze({'];
  for (const type of types) lines.push(`  ${type.name}: ${quote(type.description)},`);
  lines.push('});', '', '/** Each type\'s sample `data`, in order: [field, type, sample] (see events.json). */', 'const SAMPLE_FIELDS = {');
  for (const type of types) {
    const fields = type.fields.map((f) => `[${quote(f.name)}, ${quote(f.type)}, ${typeof f.sample === 'string' ? quote(f.sample) : f.sample}]`);
    lines.push(`  ${type.name}: [`, ...fields.map((f) => `    ${f},`), '  ],');
  }
  lines.push('};');
  return lines;
}

/** `text` with the lines between the markers (comment lines `// BEGIN` and `// END`) replaced. */
function replaceSection(file, text, lines) {
  const begin = text.indexOf(`// ${BEGIN}\n`);
  const end = text.indexOf(`// ${END}\n`);
  if (begin < 0 || end < begin) throw new Error(`${file}: no "// ${BEGIN}" ... "// ${END}" section`);
  return `${text.slice(0, begin)}// ${BEGIN}\n${lines.join('\n')}\n${text.slice(end)}`;
}

/** The code of `text` outside the generated section, comments and Rust test modules. */
function code(file, text) {
  const begin = text.indexOf(`// ${BEGIN}\n`);
  const end = text.indexOf(`// ${END}\n`);
  let rest = begin >= 0 ? text.slice(0, begin) + text.slice(end) : text;
  if (file.endsWith('.rs')) rest = rest.split('#[cfg(test)]')[0];
  return rest.split('\n').filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line));
}

function sources(dir) {
  return readdirSync(join(root, dir), { recursive: true })
    .map((file) => join(dir, file))
    .filter((file) => /\.(js|ts|rs)$/.test(file));
}

const check = process.argv.includes('--check');
const problems = [];
for (const [file, lines] of [
  ['pkg-template/index.d.ts', declarations()],
  ['pkg-template/testing/samples.js', samples()],
]) {
  const text = readFileSync(join(root, file), 'utf8');
  const next = replaceSection(file, text, lines);
  if (next === text) continue;
  if (check) problems.push(`${file}: its events section differs from ${TABLE} (run node scripts/gen-events.mjs)`);
  else writeFileSync(join(root, file), next);
}
if (check) {
  // bin/init.js and bin/init-queue.js write the user's project: their code is an example, not a list.
  const skip = new Set(['pkg-template/bin/init.js', 'pkg-template/bin/init-queue.js']);
  const names = new RegExp(`['"\`](${types.map((t) => t.name).join('|')})['"\`]`);
  for (const file of [...sources('pkg-template'), ...sources('src')].filter((f) => !skip.has(f))) {
    for (const line of code(file, readFileSync(join(root, file), 'utf8'))) {
      if (names.test(line)) problems.push(`${file}: names an event type outside ${TABLE}: ${line.trim()}`);
    }
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(`gen-events: index.d.ts and samples.js follow ${TABLE}; no second list of the event types`);
}
