// Every `init` template installs without an engine warning on every Node.js version the package's
// `engines` allows, and the worker template guards duplicates with the Durable Object store.
// npm resolves each template's dependency tree (`npm install --package-lock-only`: the registry,
// no install scripts, nothing run), then every package in it that npm installs (optional,
// platform-specific ones are skipped by npm and never engine-checked) must accept each version:
// the lowest `engines` allows, then each later major. npm itself must print no EBADENGINE for the
// Node.js running this test. Run by scripts/test-cli.sh (ELENIK_ROOT set).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { cli } from './run-cli.mjs';

const root = process.env.ELENIK_ROOT;
assert.ok(root, 'scripts/test-cli.sh sets ELENIK_ROOT');
const { default: semver } = await import(`${root}/tests/runtimes/node_modules/semver/index.js`);
const tarball = `${root}/target/elenik-webhooks-0.1.0.tgz`;
const base = new URL('../template-engines/', import.meta.url).pathname;

const { engines } = JSON.parse(readFileSync(`${root}/pkg-template/package.json`, 'utf8'));
const lowest = semver.minVersion(engines.node);
// The lowest allowed version, the last of its major, then the first of each later major up to
// two past the newest release line this machine knows (the Node.js running the test).
const newest = semver.major(process.version) + 2;
const versions = [lowest.version, `${lowest.major}.99.0`];
for (let major = lowest.major + 1; major <= Math.max(newest, 26); major++) versions.push(`${major}.0.0`);

// Every template `init --help` lists.
const templates = (await cli(['init', '--help'])).stdout.match(/^Templates: (.*)$/m)[1].split(', ');
const resolved = {};

before(async () => {
  await rm(base, { recursive: true, force: true });
  await mkdir(base, { recursive: true });
  await Promise.all(templates.map(async (name) => {
    const dir = `${base}${name}`;
    const init = await cli(['init', name, '--dir', dir]);
    assert.equal(init.code, 0, init.stderr);
    const manifestPath = `${dir}/package.json`;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.dependencies['elenik-webhooks'] = `file:${tarball}`;
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    // Dev dependencies (wrangler) included: `npm install` in the project installs them too.
    const { stderr } = await promisify(execFile)(
      'npm',
      ['install', '--package-lock-only', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=warn'],
      { cwd: dir },
    );
    resolved[name] = { stderr, lock: JSON.parse(readFileSync(`${dir}/package-lock.json`, 'utf8')) };
  }));
});

describe('init templates and engines', { timeout: 300_000 }, () => {
  test(`every package each template installs accepts Node.js ${versions.join(', ')}`, () => {
    assert.ok(engines.node, 'pkg-template/package.json has engines.node');
    assert.ok(templates.length >= 8 && templates.includes('fastify') && templates.includes('worker'), templates.join(', '));
    const refused = [];
    for (const name of templates) {
      const { stderr, lock } = resolved[name];
      assert.doesNotMatch(stderr, /EBADENGINE/, `${name}: npm warned about engines on ${process.version}`);
      for (const [path, entry] of Object.entries(lock.packages)) {
        const range = entry.engines?.node;
        if (!path || !range || entry.optional) continue;
        const bad = versions.filter((v) => !semver.satisfies(v, range));
        if (bad.length) refused.push(`${name}: ${path}@${entry.version} wants node ${range}, refusing ${bad.join(', ')}`);
      }
    }
    assert.deepEqual(refused, []);
  });

  test('the worker template binds the Durable Object store, not the per-isolate memory store', () => {
    const source = readFileSync(`${base}worker/src/index.js`, 'utf8');
    assert.match(source, /dedupe: durableObjectStore\(env\.ELENIK_DEDUPE\)/);
    assert.match(source, /^export \{ ElenikDedupe \} from 'elenik-webhooks';$/m);
    const toml = readFileSync(`${base}worker/wrangler.toml`, 'utf8');
    assert.match(toml, /\[\[durable_objects\.bindings\]\]\nname = "ELENIK_DEDUPE"\nclass_name = "ElenikDedupe"/);
    assert.match(toml, /new_sqlite_classes = \["ElenikDedupe"\]/);
  });
});
