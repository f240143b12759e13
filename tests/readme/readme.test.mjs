// The README as the npm page shows it, from the packed tarball: every code block is checked, so a
// snippet cannot go stale, and every link works on the npm page and on the repository page.
//   - js/ts blocks type-check with tsc against the package's own declarations (the tarball
//     installed in the consumer project). A fragment's free names (`receiver`, `app`, `Deno`) are
//     declared for it: `receiver` as the package's Receiver, any other as `any`; a module no test
//     folder installs (`cloudflare:workers`) as an untyped one. Everything imported from
//     elenik-webhooks must exist and be used as its types say.
//   - sh blocks parse with `bash -n`; each `npx elenik-webhooks` line names a command the CLI's
//     --help lists, options that command's --help lists, and (init) a template it knows.
//   - toml blocks parse, and every Durable Object class they bind is exported by the package.
//   - a relative link names a file in the tarball; an absolute one into the repository names a
//     file or folder that exists, under the `repository` URL of package.json; `#anchors` name a
//     heading.
// Run by scripts/test-readme.sh (ELENIK_ROOT set, the consumer project in target/readme-consumer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseToml } from 'smol-toml';

const root = process.env.ELENIK_ROOT;
assert.ok(root, 'scripts/test-readme.sh sets ELENIK_ROOT');
const consumer = join(root, 'target/readme-consumer');
const installed = join(consumer, 'node_modules/elenik-webhooks');
const readme = readFileSync(join(installed, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
const tarball = join(root, `target/elenik-webhooks-${manifest.version}.tgz`);

/** Fenced blocks: { lang, code, line } with `line` the README line of the opening fence. */
function codeBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^(`{3,}|~{3,})\s*([\w-]*)/);
    if (!open) continue;
    const close = lines.findIndex((l, j) => j > i && l.startsWith(open[1]) && l.trim() === open[1]);
    assert.ok(close > i, `README line ${i + 1}: a code fence that never closes`);
    blocks.push({ lang: open[2], code: lines.slice(i + 1, close).join('\n') + '\n', line: i + 1 });
    i = close;
  }
  return blocks;
}

const blocks = codeBlocks(readme);
const LANGS = { js: 'js', javascript: 'js', mjs: 'js', ts: 'ts', typescript: 'ts', sh: 'sh', bash: 'sh', shell: 'sh', toml: 'toml' };
const ofKind = (kind) => blocks.filter((b) => LANGS[b.lang] === kind);

test('the packed README is the repository README, and every code block has a language this test checks', () => {
  assert.equal(readme, readFileSync(join(root, 'README.md'), 'utf8'), 'target/ holds a stale build: run make pkg');
  assert.ok(blocks.length > 0);
  for (const { lang, line } of blocks) {
    assert.ok(Object.hasOwn(LANGS, lang), `README line ${line}: a \`\`\`${lang} block; label it one of ${Object.keys(LANGS).join(', ')}`);
  }
  assert.match(readme, /^make demo\b/m, 'the newcomer command `make demo` stays in README.md');
  assert.match(readme, /^make test\b/m, 'the newcomer command `make test` stays in README.md');
});

// ---- JS and TS: tsc against the package's declarations ------------------------------------------

const tsc = join(root, 'tests/runtimes/node_modules/.bin/tsc');
// Where the blocks' other imports come from: the test folders that install them.
const moduleDirs = ['tests/receiver/node_modules', 'tests/dedupe/node_modules', 'tests/runtimes/node_modules'].map((d) => join(root, d));
// Typed declarations for a fragment's free names; any other free name is declared `any`.
const TYPED_STUBS = { receiver: "import('elenik-webhooks').Receiver" };
const NAME_ERRORS = new Set(['TS2304', 'TS2552', 'TS2580', 'TS2582', 'TS2591', 'TS2868']);
const MODULE_ERRORS = new Set(['TS2307', 'TS7016']);

function typeCheck(sources) {
  const dir = join(consumer, 'readme-blocks');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = sources.map(({ lang, code, line }) => {
    const file = `line-${line}.${LANGS[lang] === 'ts' ? 'ts' : 'js'}`;
    writeFileSync(join(dir, file), code);
    return { file, line };
  });
  const paths = {};
  for (const { code } of sources) {
    for (const [, spec] of code.matchAll(/\bfrom\s+'([^']+)'|\bimport\s+'([^']+)'/g)) {
      if (!spec || spec.startsWith('node:') || spec.startsWith('elenik-webhooks') || paths[spec]) continue;
      const found = moduleDirs.find((d) => existsSync(join(d, spec)));
      if (found) paths[spec] = [join(found, spec)];
    }
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'es2022',
      module: 'esnext',
      moduleResolution: 'bundler',
      moduleDetection: 'force', // each block is its own module
      allowJs: true,
      checkJs: true,
      noEmit: true,
      skipLibCheck: true,
      // strict, but a fragment's framework callbacks (`app.post(path, (c) => …)` with `app` a stub)
      // have no types to infer their parameters from.
      strict: true,
      noImplicitAny: false,
      lib: ['es2023', 'dom', 'dom.iterable'],
      types: ['node'],
      typeRoots: [join(root, 'tests/runtimes/node_modules/@types')],
      paths,
    },
    files: [...files.map((f) => f.file), 'stubs.d.ts'],
  }, null, 2));

  const names = new Set();
  const modules = new Set();
  let output = '';
  for (let round = 0; round < 4; round++) {
    const stubs = [
      ...[...names].map((n) => `declare var ${n}: ${TYPED_STUBS[n] ?? 'any'};`),
      ...[...modules].map((m) => `declare module '${m}';`),
    ];
    writeFileSync(join(dir, 'stubs.d.ts'), `${stubs.join('\n')}\n`);
    const run = spawnSync(tsc, ['-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
    output = run.stdout + run.stderr;
    if (run.status === 0) return { names, modules, errors: [] };
    let added = false;
    const errors = [];
    // A message continued on indented lines is one error.
    for (const line of output.split(/\n(?! )/).filter(Boolean)) {
      const m = line.match(/^line-(\d+)\.\w+\((\d+),\d+\): error (TS\d+): ([\s\S]*)$/);
      if (!m) {
        errors.push(line);
        continue;
      }
      const [, block, at, code, message] = m;
      const name = message.match(/^Cannot find name '([\w$]+)'/)?.[1];
      const module = message.match(/(?:module|for module) '([^']+)'/)?.[1];
      if (NAME_ERRORS.has(code) && name && !names.has(name)) {
        names.add(name);
        added = true;
      } else if (MODULE_ERRORS.has(code) && module && !module.startsWith('elenik-webhooks') && !modules.has(module)) {
        modules.add(module);
        added = true;
      } else {
        // README line of the error: the fence's line + the line inside the block.
        errors.push(`README.md:${Number(block) + Number(at)}: ${code} ${message}`);
      }
    }
    if (!added) return { names, modules, errors };
  }
  return { names, modules, errors: [output] };
}

test('every js/ts block type-checks against the packed package', (t) => {
  const sources = [...ofKind('js'), ...ofKind('ts')];
  assert.ok(sources.length >= 5, 'the README has code to check');
  const { names, modules, errors } = typeCheck(sources);
  t.diagnostic(`${sources.length} blocks; free names declared for fragments: ${[...names].join(', ') || 'none'}; untyped modules: ${[...modules].join(', ') || 'none'}`);
  assert.deepEqual(errors, []);
  // The stubs stand in for a fragment's context, never for the package itself.
  for (const name of names) assert.ok(!/^(createReceiver|verify\w*|constructEvent|Verifier|sign|explainMismatch)$/.test(name), `${name} should be imported from elenik-webhooks`);
});

const DOCS = ['docs/api.md', 'docs/stores.md', 'docs/observability.md', 'docs/queues.md'];

test('the js/ts blocks of docs/api.md, docs/stores.md, docs/observability.md and docs/queues.md type-check too', (t) => {
  const sources = DOCS.flatMap((doc, at) =>
    // Each document's lines numbered apart (100000 per document) so an error names its file.
    codeBlocks(readFileSync(join(root, doc), 'utf8')).filter((b) => ['js', 'ts'].includes(LANGS[b.lang])).map((b) => ({ ...b, line: b.line + at * 100000 })),
  );
  assert.ok(sources.length >= 5);
  const { names, errors } = typeCheck(sources);
  t.diagnostic(`${sources.length} blocks; free names declared: ${[...names].join(', ') || 'none'}`);
  assert.deepEqual(errors.map((e) => e.replace(/^README\.md:(\d+)/, (_, n) => `${DOCS[Math.floor(n / 100000)]}:${n % 100000}`)), []);
});

test('a wrong use of the package in a block fails the type check (the check is real)', () => {
  const { errors } = typeCheck([
    { lang: 'js', line: 1, code: "import { createReceiver } from 'elenik-webhooks';\ncreateReceiver({ secret: 's' }).on('payment_verified', (e) => e.data.task_id.toUpperCase());\n" },
    { lang: 'js', line: 10, code: "import { verifyRequests } from 'elenik-webhooks';\n" },
    { lang: 'js', line: 20, code: 'receiver.listen(8787);\n' },
  ]);
  assert.equal(errors.length, 3, errors.join('\n'));
  assert.match(errors[0], /^README\.md:3: TS2339 .*task_id/);
  assert.match(errors[1], /^README\.md:11: TS2\d+ .*verifyRequests/);
  assert.match(errors[2], /^README\.md:21: TS2339 .*listen/);
});

// ---- shell: bash -n, and the CLI's own --help -----------------------------------------------------

const bin = join(consumer, 'node_modules/.bin/elenik-webhooks');
const help = (...args) => execFileSync(process.execPath, [bin, ...args, '--help'], { encoding: 'utf8' });

/** `npx elenik-webhooks ...` invocations in a shell block, as argument lists (comments, pipes and redirections cut). */
function cliCalls(code) {
  const calls = [];
  for (const line of code.split('\n')) {
    const m = line.match(/\b(?:npx|pnpm exec|yarn|bunx)\s+elenik-webhooks\s+(.*)$/);
    if (!m) continue;
    const command = m[1].split(/\s+#|\s*(?:&&|\|\|?|;|>)/)[0];
    calls.push(command.trim().split(/\s+/));
  }
  return calls;
}

test('every sh block parses with bash -n, and its elenik-webhooks commands and options exist', () => {
  const main = help();
  const commands = new Set([...main.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]));
  assert.ok(commands.has('trigger') && commands.has('init'), main);
  let calls = 0;
  for (const { code, line } of ofKind('sh')) {
    const parsed = spawnSync('bash', ['-n'], { input: code, encoding: 'utf8' });
    assert.equal(parsed.status, 0, `README line ${line}: bash -n: ${parsed.stderr}`);
    for (const [command, ...args] of cliCalls(code)) {
      calls++;
      assert.ok(commands.has(command), `README line ${line}: elenik-webhooks ${command} is not a command (${[...commands].join(', ')})`);
      const own = help(command);
      const options = own.slice(own.indexOf('\nOptions:'));
      for (const arg of args.filter((a) => a.startsWith('-'))) {
        const option = arg.split('=')[0];
        assert.match(options, new RegExp(`(^|[\\s,])${option}(?=[\\s,=]|$)`, 'm'), `README line ${line}: elenik-webhooks ${command} has no option ${option}`);
      }
      if (command === 'init') {
        const templates = own.match(/^Templates: (.*)$/m)[1].split(', ');
        assert.ok(templates.includes(args[0]), `README line ${line}: init has no template ${args[0]}`);
      }
    }
  }
  assert.ok(calls >= 5, 'the README shows the CLI');
});

// ---- TOML -----------------------------------------------------------------------------------------

test('every toml block parses, and the Durable Object classes it binds are exported by the package', async () => {
  const exported = await import(pathToFileURL(join(installed, 'index.js')).href);
  const toml = ofKind('toml');
  assert.ok(toml.length > 0);
  for (const { code, line } of toml) {
    let config;
    assert.doesNotThrow(() => (config = parseToml(code)), `README line ${line}`);
    for (const { class_name } of config.durable_objects?.bindings ?? []) {
      assert.equal(typeof exported[class_name], 'function', `README line ${line}: elenik-webhooks exports ${class_name}`);
    }
  }
});

// ---- links ----------------------------------------------------------------------------------------

const repository = manifest.repository?.url?.replace(/^git\+/, '').replace(/\.git$/, '');
const shipped = new Set(execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')));

/** GitHub's (and npm's) heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchors = new Set(
  [...readme.replace(/^(`{3,})[\s\S]*?^\1/gm, '').matchAll(/^#{1,6} (.*)$/gm)].map((m) =>
    m[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/ /g, '-'),
  ),
);

const links = [...readme.replace(/^(`{3,})[\s\S]*?^\1/gm, '').matchAll(/\]\(([^)\s]+)\)|(?:href|src)="([^"]+)"/g)].map((m) => m[1] ?? m[2]);

test('package.json names the repository, homepage and bugs, and CHANGELOG.md ships', () => {
  assert.match(repository ?? '', /^https:\/\/[^/]+\/[^/]+\/[^/]+$/, 'repository.url');
  assert.equal(manifest.homepage, `${repository}#readme`);
  assert.equal(manifest.bugs?.url, `${repository}/issues`);
  assert.ok(shipped.has('CHANGELOG.md') && shipped.has('README.md'));
});

test('every README link works on the npm page and on the repository page', () => {
  assert.ok(links.length > 5);
  for (const link of links) {
    if (link.startsWith('#')) {
      assert.ok(anchors.has(link.slice(1)), `${link}: no such heading (${[...anchors].join(', ')})`);
    } else if (link.startsWith(`${repository}/`)) {
      const m = link.match(/^[^#]*?\/(blob|tree)\/main\/([^#]+)/);
      assert.ok(m, `${link}: a repository link is ${repository}/blob/main/FILE or /tree/main/FOLDER`);
      const path = join(root, m[2]);
      assert.ok(existsSync(path), `${link}: ${m[2]} does not exist in the repository`);
      assert.equal(m[1], statSync(path).isDirectory() ? 'tree' : 'blob', `${link}: tree/ for a folder, blob/ for a file`);
    } else if (/^[a-z]+:/i.test(link)) {
      assert.ok(!/\/\/github\.(com|invalid)\//.test(link), `${link}: a repository link starts with package.json's repository, ${repository}`);
    } else {
      assert.ok(shipped.has(link.split('#')[0]), `${link}: a relative link must name a file in the tarball (${[...shipped].join(', ')}); use ${repository}/blob/main/${link}`);
    }
  }
});
