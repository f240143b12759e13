// The `elenik-webhooks` bin of the installed package, spawned as users run it, against a receiver
// this test starts on 127.0.0.1. Run by scripts/test-cli.sh from its consumer project.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { EVENT_TYPES, parseEvent, Verifier } from 'elenik-webhooks';
import { cli } from './run-cli.mjs';

const SECRET = 'cli-test-endpoint-secret';
const hmac = (body, secret = SECRET) => 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');

const tmp = mkdtempSync(join(tmpdir(), 'elenik-cli-'));
const file = (name, content) => {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
};

/** An HTTP server on 127.0.0.1 that the test's `after` stops, open connections included. */
async function serve(t, handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('help, usage errors and exit codes', () => {
  for (const command of ['sign', 'verify', 'events', 'trigger', 'init', 'register']) {
    test(`${command} --help`, async () => {
      const { code, stdout, stderr } = await cli([command, '--help']);
      assert.equal(code, 0, stderr);
      assert.match(stdout, new RegExp(`^Usage: elenik-webhooks ${command}`));
      assert.equal(stderr, '');
    });
  }

  test('--help lists every command; no command is a usage error on stderr', async () => {
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    for (const command of ['init', 'register', 'sign', 'verify', 'events', 'trigger']) assert.match(help.stdout, new RegExp(`  ${command}`));
    const none = await cli([]);
    assert.equal(none.code, 2);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /no command given/);
  });

  test('unknown commands and options, missing values: exit 2, message on stderr', async () => {
    for (const args of [['frobnicate'], ['sign', '--bogus'], ['verify', '-s', 'x'], ['events', 'sample'],
      ['events', 'sample', 'nope'], ['events', 'list'], ['trigger', 'task_complete'], ['sign']]) {
      const { code, stdout, stderr } = await cli(args, { input: '{}' });
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.equal(stdout, '', args.join(' '));
      assert.match(stderr, /^elenik-webhooks: .+\nRun 'elenik-webhooks.* --help' for usage\.\n$/, args.join(' '));
    }
    const noSecret = await cli(['sign'], { input: '{}' });
    assert.match(noSecret.stderr, /ELENIK_WEBHOOK_SECRET/);
  });
});

describe('sign and verify', () => {
  const body = '{"event":"user_signup","data":{"user_id":"u_1"}}';

  test('sign prints what node:crypto computes, from a file, stdin or -, secret from flag or env', async () => {
    const path = file('body.json', body);
    for (const [args, options] of [
      [['sign', '--secret', SECRET, path], {}],
      [['sign', '-s', SECRET], { input: body }],
      [['sign', '-'], { input: body, env: { ELENIK_WEBHOOK_SECRET: SECRET } }],
    ]) {
      const { code, stdout, stderr } = await cli(args, options);
      assert.equal(code, 0, stderr);
      assert.equal(stdout, `${hmac(body)}\n`);
    }
    // The bytes exactly as read: a trailing newline is signed too.
    const newline = await cli(['sign', '-s', SECRET], { input: `${body}\n` });
    assert.equal(newline.stdout, `${hmac(`${body}\n`)}\n`);
  });

  test('verify: exit 0 when valid', async () => {
    const { code, stdout } = await cli(['verify', '--signature', hmac(body), file('ok.json', body)], {
      env: { ELENIK_WEBHOOK_SECRET: SECRET },
    });
    assert.equal(code, 0);
    assert.equal(stdout, 'verified\n');
  });

  test('verify: exit 1 with the diagnosis, never printing the secret or the expected signature', async () => {
    const cases = [
      [`${body}\n`, hmac(body), SECRET, 'BODY_TRAILING_NEWLINE'],
      [JSON.stringify(JSON.parse(body), null, 2), hmac(body), SECRET, 'BODY_RESERIALIZED'],
      [body, hmac(body), `${SECRET}\n`, 'SECRET_WHITESPACE'],
      [body, hmac(body, 'other-endpoint-key'), SECRET, 'SECRET_OR_BODY_DIFFERS'],
      [body, 'sha1=abcdef', SECRET, 'UNSUPPORTED_ALGORITHM'],
      [body, '', SECRET, 'MISSING_SIGNATURE'],
    ];
    for (const [payload, signature, secret, finding] of cases) {
      const { code, stdout, stderr } = await cli(['verify', '--signature', signature, '-s', secret], { input: payload });
      assert.equal(code, 1, `${finding}: ${stderr}`);
      assert.match(stdout, /^failed: [A-Z_]+\n/);
      assert.match(stdout, new RegExp(`^  ${finding}: .+\n    fix: .+`, 'm'));
      assert.ok(!stdout.includes(SECRET) && !stdout.includes(hmac(payload, secret).slice(7)), stdout);
    }
  });
});

describe('events', () => {
  test('lists the documented types', async () => {
    const { code, stdout } = await cli(['events']);
    assert.equal(code, 0);
    assert.deepEqual(stdout.trim().split('\n').map((line) => line.split(/\s+/)[0]), [...EVENT_TYPES]);
  });

  test('sample TYPE prints a valid event with fresh ids and the current time, without a newline when piped', async () => {
    for (const type of EVENT_TYPES) {
      const [first, second] = await Promise.all([cli(['events', 'sample', type]), cli(['events', 'sample', type])]);
      assert.equal(first.code, 0, first.stderr);
      assert.ok(!first.stdout.endsWith('\n'));
      const event = parseEvent(first.stdout);
      assert.equal(event.event, type);
      assert.notEqual(first.stdout, second.stdout, 'fresh ids on every call');
      const times = Object.entries(event.data).filter(([k]) => k.endsWith('_at') || k === 'period_start');
      assert.ok(times.length > 0, type);
      for (const [, seconds] of times) assert.ok(Math.abs(seconds - Date.now() / 1000) < 60, `${type}: ${seconds}`);
    }
    const pretty = await cli(['events', 'sample', 'task_complete', '--pretty']);
    assert.match(pretty.stdout, /^\{\n {2}"event": "task_complete",\n/);
  });
});

describe('trigger', () => {
  let server;
  let url;
  const received = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const verifier = new Verifier(SECRET);

  before(async () => {
    server = createServer(async (req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const body = Buffer.concat(chunks);
      // Hold each request briefly so concurrent ones overlap.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const outcome = verifier.tryVerify(body, req.headers);
      received.push({ outcome, body: body.toString(), headers: req.headers });
      inFlight--;
      if (outcome.ok) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: true }));
      } else {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: outcome.code }));
      }
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${server.address().port}/webhooks/elenik`;
  });
  after(() => server.close());
  const reset = () => {
    received.length = 0;
    maxInFlight = 0;
  };

  test('one signed event of each type: delivered, verified, printed with status and latency', async () => {
    for (const type of EVENT_TYPES) {
      reset();
      const { code, stdout, stderr } = await cli(['trigger', type, '--url', url], { env: { ELENIK_WEBHOOK_SECRET: SECRET } });
      assert.equal(code, 0, stderr + stdout);
      assert.equal(received.length, 1);
      assert.ok(received[0].outcome.ok, type);
      assert.equal(parseEvent(received[0].body).event, type);
      assert.match(stdout, new RegExp(`^1  accepted  200 +\\d+\\.\\d ms  ${type} \\S+  \\{"received":true\\}$`, 'm'));
      assert.match(stdout, /^summary: 1 sent in [\d.]+ s; 1 × 200; latency p50 [\d.]+ ms, p95 [\d.]+ ms, max [\d.]+ ms; all accepted as expected$/m);
    }
  });

  test('--count 200 --concurrency 20: all delivered and verified, fresh ids, at most 20 in flight', async () => {
    reset();
    const { code, stdout, stderr } = await cli(
      ['trigger', 'payment_verified', '--url', url, '--count', '200', '--concurrency', '20'],
      { env: { ELENIK_WEBHOOK_SECRET: SECRET } },
    );
    assert.equal(code, 0, stderr);
    assert.equal(received.length, 200);
    assert.ok(received.every((r) => r.outcome.ok), 'every request verified');
    const ids = new Set(received.map((r) => parseEvent(r.body).data.payment_id));
    assert.equal(ids.size, 200, 'a fresh id per event');
    assert.ok(maxInFlight <= 20 && maxInFlight > 1, `max in flight ${maxInFlight}`);
    assert.equal(stdout.split('\n').filter((l) => /^ *\d+  accepted  200 /.test(l)).length, 200);
    assert.match(stdout, /^summary: 200 sent in .*200 × 200;.*all accepted as expected$/m);
  });

  test('--tamper and --unsigned are rejected by the receiver, which is the expected outcome (exit 0)', async () => {
    for (const [flag, code] of [['--tamper', 'SIGNATURE_MISMATCH'], ['--unsigned', 'MISSING_SIGNATURE']]) {
      reset();
      const result = await cli(['trigger', 'payment_verified', '--url', url, flag, '-n', '3'], { env: { ELENIK_WEBHOOK_SECRET: SECRET } });
      assert.equal(result.code, 0, result.stderr + result.stdout);
      assert.equal(received.length, 3);
      assert.ok(received.every((r) => !r.outcome.ok && r.outcome.code === code), flag);
      assert.match(result.stdout, /all rejected as expected$/m);
    }
    // The tampered body really differs from the signed one: the amount was changed after signing.
    reset();
    await cli(['trigger', 'payment_verified', '--url', url, '--tamper'], { env: { ELENIK_WEBHOOK_SECRET: SECRET } });
    assert.equal(parseEvent(received[0].body).data.amount, 0.01);
  });

  test('a wrong secret is rejected: exit 1', async () => {
    reset();
    const { code, stdout } = await cli(['trigger', 'user_signup', '--url', url, '--secret', 'guessed-secret']);
    assert.equal(code, 1);
    assert.match(stdout, /^1  rejected  401 .*SIGNATURE_MISMATCH/m);
    assert.match(stdout, /1 not accepted as expected$/m);
  });

  test('--data merges fields over the sample; an unknown type needs --data', async () => {
    reset();
    const env = { ELENIK_WEBHOOK_SECRET: SECRET };
    const merged = await cli(['trigger', 'payment_verified', '--url', url, '--data', '{"amount":5,"currency":"EUR"}'], { env });
    assert.equal(merged.code, 0, merged.stderr);
    const event = parseEvent(received[0].body);
    assert.deepEqual([event.data.amount, event.data.currency, typeof event.data.user_id], [5, 'EUR', 'string']);
    const custom = await cli(['trigger', 'invoice_sent', '--url', url, '--data', '{"invoice_id":"inv_1"}'], { env });
    assert.equal(custom.code, 0, custom.stderr);
    assert.deepEqual(parseEvent(received[1].body), { event: 'invoice_sent', data: { invoice_id: 'inv_1' } });
    for (const args of [['invoice_sent'], ['task_complete', '--data', '[1]'], ['task_complete', '--data', '{']]) {
      const bad = await cli(['trigger', ...args, '--url', url], { env });
      assert.equal(bad.code, 2, args.join(' '));
    }
    assert.equal(received.length, 2, 'nothing sent on a usage error');
  });

  test('refuses plain http:// except on loopback hosts', async () => {
    const env = { ELENIK_WEBHOOK_SECRET: SECRET };
    for (const target of ['http://example.com/hook', 'http://10.0.0.1/hook', 'http://127.example.com/', 'ftp://127.0.0.1/', 'not a url']) {
      const { code, stderr } = await cli(['trigger', 'task_complete', '--url', target], { env });
      assert.equal(code, 2, target);
      assert.match(stderr, /https|URL/, target);
    }
    // Loopback names pass the check (then fail to connect: exit 1, not 2); so does https.
    for (const target of ['http://localhost:1/', 'http://[::1]:1/', 'http://127.0.0.2:1/', 'https://127.0.0.1:1/']) {
      const { code, stdout } = await cli(['trigger', 'task_complete', '--url', target, '--timeout', '5000'], { env });
      assert.equal(code, 1, target);
      assert.match(stdout, /^1  error /m, target);
    }
  });
});

describe('trigger --repeat against a createReceiver receiver', () => {
  let server;
  let url;
  const runs = new Map();
  before(async () => {
    const { createReceiver } = await import('elenik-webhooks');
    const receiver = createReceiver({ secret: SECRET, logger: false }).onAny(async (event, context) => {
      runs.set(context.deliveryKey, (runs.get(context.deliveryKey) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 30)); // long enough for copies to overlap
    });
    server = createServer(receiver.node);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${server.address().port}/webhooks/elenik`;
  });
  after(() => server.close());

  test('--repeat 6 sends identical bytes: handled once, copies 200 duplicate or 409, exit 0', async () => {
    runs.clear();
    const { code, stdout, stderr } = await cli(['trigger', 'payment_verified', '--url', url, '--repeat', '6', '--concurrency', '3'], {
      env: { ELENIK_WEBHOOK_SECRET: SECRET },
    });
    assert.equal(code, 0, stderr + stdout);
    assert.deepEqual([...runs.values()], [1], 'one delivery, one handler run');
    assert.match(stdout, /^sending 1 signed payment_verified event, each 6 times \(identical bytes and signature\)/m);
    const lines = stdout.split('\n').filter((l) => /^ *\d+  accepted|^ *\d+  rejected/.test(l));
    assert.equal(lines.length, 6);
    const duplicates = lines.filter((l) => l.includes('"duplicate":true')).length;
    const inProgress = lines.filter((l) => / 409 /.test(l)).length;
    assert.equal(duplicates + inProgress, 5, stdout);
    assert.ok(inProgress >= 1, `copies sent while the first ran get 409: ${stdout}`);
    assert.match(stdout, new RegExp(`1 handled as new, ${duplicates} answered as duplicates, ${inProgress} in progress \\(409\\); .*all accepted as expected$`, 'm'));
  });

  test('--count 3 --repeat 2 sequentially: 3 handled, 3 duplicates', async () => {
    runs.clear();
    const { code, stdout } = await cli(['trigger', 'user_signup', '--url', url, '-n', '3', '-r', '2', '--secrets-file', file('.env', `# test\nELENIK_WEBHOOK_SECRET="${SECRET}"\n`)]);
    assert.equal(code, 0, stdout);
    assert.equal(runs.size, 3);
    assert.ok([...runs.values()].every((n) => n === 1));
    assert.match(stdout, /6 × 200; 3 handled as new, 3 answered as duplicates, 0 in progress/);
  });

  test('a receiver that handles every copy as new is reported, and --repeat limits are usage errors', async () => {
    const plain = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}'));
    });
    await new Promise((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const { stdout } = await cli(['trigger', 'task_complete', '--url', `http://127.0.0.1:${plain.address().port}/`, '--repeat', '3'], {
        env: { ELENIK_WEBHOOK_SECRET: SECRET },
      });
      assert.match(stdout, /3 handled as new, 0 answered as duplicates/);
    } finally {
      plain.close();
    }
    for (const args of [['--repeat', '0'], ['--repeat', 'x'], ['--count', '1000', '--repeat', '1000']]) {
      const { code } = await cli(['trigger', 'task_complete', '--url', url, ...args], { env: { ELENIK_WEBHOOK_SECRET: SECRET } });
      assert.equal(code, 2, args.join(' '));
    }
  });
});

describe('register', () => {
  let server;
  let api;
  const requests = [];
  let answer = { status: 201, body: '{"id":"wh_1"}' };
  before(async () => {
    // A stand-in for Elenik's API on 127.0.0.1.
    server = createServer(async (req, res) => {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = `http://127.0.0.1:${server.address().port}`;
  });
  after(() => server.close());
  const KEY = 'elk_live_cli_test_key_123';

  test('validates and prints the request; sends nothing without --api-url', async () => {
    requests.length = 0;
    const { code, stdout } = await cli(['register', '--url', 'https://hooks.example.com/elenik', '--events', 'payment_verified, task_complete'], {
      env: { ELENIK_API_KEY: KEY },
    });
    assert.equal(code, 0);
    assert.match(stdout, /^POST \/api\/webhooks\nContent-Type: application\/json\nAuthorization: <Bearer \$ELENIK_API_KEY>\n\n\{"url":"https:\/\/hooks\.example\.com\/elenik","events":\["payment_verified","task_complete"\]\}\n/);
    assert.match(stdout, /not sent/);
    assert.ok(!stdout.includes(KEY));
    assert.equal(requests.length, 0);
  });

  test('refuses what Elenik would refuse: exit 2, nothing sent', async () => {
    requests.length = 0;
    for (const args of [
      ['--url', 'http://hooks.example.com/', '--events', 'task_complete'],
      ['--url', 'http://127.0.0.1/', '--events', 'task_complete'],
      ['--url', 'https://user:pw@hooks.example.com/', '--events', 'task_complete'],
      ['--url', 'not a url', '--events', 'task_complete'],
      ['--url', 'https://hooks.example.com/', '--events', 'task_complete,task_complete'],
      ['--url', 'https://hooks.example.com/', '--events', 'invoice_sent'],
      ['--url', 'https://hooks.example.com/', '--events', 'task_complete,'],
      ['--url', 'https://hooks.example.com/'],
      ['--events', 'task_complete'],
      ['--url', 'https://hooks.example.com/', '--events', 'task_complete', '--api-url', api], // no key
      ['--url', 'https://hooks.example.com/', '--events', 'task_complete', '--api-url', 'http://api.example.com'],
      ['--url', 'https://hooks.example.com/', '--events', 'task_complete', '--api-url', api, '-H', 'no colon'],
    ]) {
      const { code, stderr } = await cli(['register', ...args]);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.match(stderr, /^elenik-webhooks: /);
    }
    assert.equal(requests.length, 0);
  });

  test('with --api-url and ELENIK_API_KEY: POST /api/webhooks, Bearer key, the JSON body; exit 0 on 2xx', async () => {
    requests.length = 0;
    answer = { status: 201, body: '{"id":"wh_1"}' };
    const { code, stdout } = await cli(['register', '--url', 'https://hooks.example.com/elenik', '--events', 'user_signup', '--api-url', api], {
      env: { ELENIK_API_KEY: KEY },
    });
    assert.equal(code, 0, stdout);
    assert.equal(requests.length, 1);
    const [request] = requests;
    assert.deepEqual([request.method, request.url], ['POST', '/api/webhooks']);
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(request.body), { url: 'https://hooks.example.com/elenik', events: ['user_signup'] });
    assert.match(stdout, /^201 Created\n\{"id":"wh_1"\}$/m);
    assert.ok(!stdout.includes(KEY), 'the key is never printed');
  });

  test('--header overrides the Authorization and adds headers; a non-2xx answer exits 1', async () => {
    requests.length = 0;
    answer = { status: 422, body: '{"error":"url unreachable"}' };
    const { code, stdout } = await cli([
      'register', '--url', 'https://hooks.example.com/elenik', '--events', 'task_complete,subscription_paid', '--api-url', `${api}/`,
      '--header', 'Authorization: Token abc', '-H', 'X-Workspace: ws_9',
    ], { env: { ELENIK_API_KEY: KEY } });
    assert.equal(code, 1);
    assert.equal(requests[0].headers.authorization, 'Token abc');
    assert.equal(requests[0].headers['x-workspace'], 'ws_9');
    assert.match(stdout, /Authorization: <from --header>\nX-Workspace: <from --header>/);
    assert.match(stdout, /^422 Unprocessable Entity\n\{"error":"url unreachable"\}$/m);
    assert.ok(!stdout.includes('Token abc'));
  });
});

// Issue 17 (6): Node.js 20 reads --env-file itself, even after the script name (a missing file
// exits 9, a NODE_OPTIONS line runs code before the CLI starts), so the option is --secrets-file,
// and its file is parsed by Node.js's own rules (util.parseEnv).
describe(`--secrets-file, under Node.js ${process.versions.node}`, () => {
  const body = '{"event":"task_complete","data":{"task_id":"t_1"}}';

  test('the file is parsed as Node.js parses env files: quotes, inline comments, export', async () => {
    for (const content of [
      `ELENIK_WEBHOOK_SECRET='${SECRET}' # the test endpoint\n`,
      `# written by hand\nexport ELENIK_WEBHOOK_SECRET="${SECRET}"   # quoted, exported\n`,
      `export ELENIK_WEBHOOK_SECRET=${SECRET} # bare, with a comment\nOTHER=1\n`,
      `OTHER="a # not a comment"\r\nELENIK_WEBHOOK_SECRET=\`${SECRET}\`\r\n`,
    ]) {
      assert.equal(parseEnv(content).ELENIK_WEBHOOK_SECRET, SECRET, 'the case is one Node.js reads as SECRET');
      const { code, stdout, stderr } = await cli(['sign', '--secrets-file', file('parsed.env', content)], { input: body });
      assert.equal(code, 0, `${content}: ${stderr}`);
      assert.equal(stdout, `${hmac(body)}\n`, content);
    }
  });

  test('a missing file: exit 2 with the CLI\'s own message (not node\'s exit 9)', async () => {
    for (const args of [['--secrets-file', join(tmp, 'missing.env')], [`--secrets-file=${join(tmp, 'missing.env')}`]]) {
      const { code, stdout, stderr } = await cli(['sign', ...args], { input: body });
      assert.equal(code, 2, stderr);
      assert.equal(stdout, '');
      assert.match(stderr, /^elenik-webhooks: cannot read .*missing\.env: ENOENT.*\nRun 'elenik-webhooks sign --help' for usage\.\n$/);
    }
    const noKey = await cli(['sign', '--secrets-file', file('other.env', 'OTHER=1\n')], { input: body });
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /no ELENIK_WEBHOOK_SECRET in .*other\.env/);
  });

  test('a NODE_OPTIONS line in the file is not run', async () => {
    const marker = join(tmp, 'node-options-ran');
    const hook = file('hook.cjs', `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
    const secrets = file('hostile.env', `NODE_OPTIONS="--require ${hook}"\nELENIK_WEBHOOK_SECRET=${SECRET}\n`);
    for (const command of [['sign', '--secrets-file', secrets], ['verify', '--signature', hmac(body), '--secrets-file', secrets]]) {
      const { code, stdout, stderr } = await cli(command, { input: body });
      assert.equal(code, 0, stderr);
      assert.match(stdout, command[0] === 'sign' ? /^sha256=/ : /^verified$/m);
      assert.equal(existsSync(marker), false, `${command[0]}: the file's NODE_OPTIONS ran`);
    }
  });

  test('the old spelling --env-file is a usage error that names --secrets-file (exit 2)', async () => {
    // A harmless file: Node.js 20 itself still loads one passed as --env-file, before the CLI runs.
    const path = file('old.env', `ELENIK_WEBHOOK_SECRET=${SECRET}\n`);
    for (const args of [['sign', '--env-file', path], ['sign', `--env-file=${path}`], ['trigger', 'task_complete', '--url', 'http://127.0.0.1:1/', '--env-file', path]]) {
      const { code, stdout, stderr } = await cli(args, { input: body });
      assert.equal(code, 2, `${args.join(' ')}: ${stdout}`);
      assert.equal(stdout, '');
      assert.match(stderr, /^elenik-webhooks: --env-file is now --secrets-file: Node\.js 20 reads --env-file itself/, args.join(' '));
      assert.match(stderr, new RegExp(`pass --secrets-file ${path.replace(/[.\\/]/g, '\\$&')}\\n`));
    }
  });

  test('--help names --secrets-file and never --env-file', async () => {
    for (const command of [[], ['sign'], ['verify'], ['trigger']]) {
      const { stdout } = await cli([...command, '--help']);
      assert.match(stdout, /--secrets-file FILE/, command.join(' '));
      assert.ok(!stdout.includes('--env-file'), command.join(' '));
    }
  });
});

// Issue 19: URL mistakes suggest their fix.
describe('URL mistakes get a hint', () => {
  test('a URL without its scheme: did you mean http:// (loopback) or https://', async () => {
    const env = { ELENIK_WEBHOOK_SECRET: SECRET };
    for (const [given, meant] of [
      ['localhost:8787', 'http://localhost:8787/'],
      ['localhost:8787/webhooks/elenik', 'http://localhost:8787/webhooks/elenik'],
      ['127.0.0.1:8787/x', 'http://127.0.0.1:8787/x'],
      ['[::1]:8787/x', 'http://[::1]:8787/x'],
      ['hooks.example.com/elenik', 'https://hooks.example.com/elenik'],
      ['http://hooks.example.com/elenik', 'https://hooks.example.com/elenik'],
    ]) {
      const { code, stderr } = await cli(['trigger', 'task_complete', '--url', given], { env });
      assert.equal(code, 2, given);
      assert.ok(stderr.includes(`did you mean ${meant}?`), `${given}: ${stderr}`);
    }
    // Elenik registers https:// only, so register suggests https:// even for a loopback host.
    for (const [given, meant] of [['hooks.example.com/elenik', 'https://hooks.example.com/elenik'], ['http://hooks.example.com/', 'https://hooks.example.com/']]) {
      const { code, stderr } = await cli(['register', '--url', given, '--events', 'task_complete']);
      assert.equal(code, 2, given);
      assert.ok(stderr.includes(`did you mean ${meant}?`), `${given}: ${stderr}`);
    }
    const nonsense = await cli(['trigger', 'task_complete', '--url', 'not a url'], { env });
    assert.match(nonsense.stderr, /--url is not a URL: not a url\n/);
  });

  test('ECONNREFUSED asks whether the receiver is running, and on which port', async () => {
    const port = await freePort();
    const { code, stdout } = await cli(['trigger', 'task_complete', '--url', `http://127.0.0.1:${port}/webhooks/elenik`], {
      env: { ELENIK_WEBHOOK_SECRET: SECRET },
    });
    assert.equal(code, 1);
    assert.match(stdout, /^1  error +--- .*ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:\d+$/m);
    assert.match(stdout, new RegExp(`^hint: nothing is listening on 127\\.0\\.0\\.1 port ${port}: is the receiver running, and on port ${port}\\?`, 'm'));
    const registered = await cli(['register', '--url', 'https://hooks.example.com/', '--events', 'task_complete', '--api-url', `http://127.0.0.1:${port}`], {
      env: { ELENIK_API_KEY: 'k' },
    });
    assert.equal(registered.code, 1);
    assert.match(registered.stdout, new RegExp(`^hint: nothing is listening on 127\\.0\\.0\\.1 port ${port}`, 'm'));
    // Port 1 is on the Fetch standard's blocked list: fetch never tries it, and the hint says so.
    const blocked = await cli(['trigger', 'task_complete', '--url', 'http://127.0.0.1:1/'], { env: { ELENIK_WEBHOOK_SECRET: SECRET } });
    assert.equal(blocked.code, 1);
    assert.match(blocked.stdout, /^hint: fetch never connects to port 1 \(a port the Fetch standard blocks\)/m);
  });

  test('a 404 says the path is probably wrong, and its HTML page is summarised, not cut', async (t) => {
    // Express 5's own 404 page, padded the way framework error pages are.
    const page = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n' +
      `<style>${'body { font-family: sans-serif; } '.repeat(4)}</style>\n</head>\n<body>\n<pre>Cannot POST /webhook</pre>\n</body>\n</html>\n`;
    const { origin } = await serve(t, (req, res) => {
      req.resume();
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    });
    const { code, stdout } = await cli(['trigger', 'task_complete', '--url', `${origin}/webhook`], { env: { ELENIK_WEBHOOK_SECRET: SECRET } });
    assert.equal(code, 1);
    assert.match(stdout, new RegExp(`^1  rejected  404 .* HTML page \\(${Buffer.byteLength(page)} bytes, title "Error"\\): Cannot POST /webhook$`, 'm'));
    assert.ok(!stdout.includes('<'), stdout);
    assert.match(stdout, /^hint: 404: something answers on 127\.0\.0\.1:\d+, but not at \/webhook: the path is probably wrong \(init's receivers take POST at \/webhooks\/elenik\)$/m);
  });
});

// Issue 19: trigger shows the whole answer, and --verbose the headers.
describe('trigger shows the whole answer', () => {
  test('the whole JSON body, however long, on its line', async (t) => {
    const answer = { received: true, event: 'payment_verified', note: 'x'.repeat(300), findings: [{ code: 'A', fix: 'y'.repeat(100) }] };
    const { origin } = await serve(t, (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer, null, 2));
    });
    const { code, stdout } = await cli(['trigger', 'payment_verified', '--url', `${origin}/webhooks/elenik`], { env: { ELENIK_WEBHOOK_SECRET: SECRET } });
    assert.equal(code, 0, stdout);
    const line = stdout.split('\n').find((l) => l.startsWith('1  accepted  200'));
    assert.ok(line.endsWith(`  ${JSON.stringify(answer)}`), line);
  });

  test('a 401 to a signed event prints the receiver\'s whole diagnosis and hints at the secret', async (t) => {
    const { createReceiver } = await import('elenik-webhooks');
    const receiver = createReceiver({ secret: SECRET, logger: false });
    const { origin } = await serve(t, receiver.node);
    const { code, stdout } = await cli(['trigger', 'payment_verified', '--url', `${origin}/webhooks/elenik`, '--secret', 'not-the-secret']);
    assert.equal(code, 1);
    const line = stdout.split('\n').find((l) => l.startsWith('1  rejected  401'));
    const printed = JSON.parse(line.slice(line.indexOf('{')));
    assert.equal(printed.error, 'SIGNATURE_MISMATCH');
    assert.match(stdout, /^hint: a 401 to a signed event: the receiver holds another secret/m);
  });

  test('a text answer is printed whole, its control characters escaped so they cannot drive the terminal', async (t) => {
    const { origin } = await serve(t, (req, res) => {
      req.resume();
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`handler failed:\n${'step '.repeat(40)}\u001b[2J\u001b[31mred`);
    });
    const { code, stdout } = await cli(['trigger', 'task_complete', '--url', `${origin}/webhooks/elenik`, '--verbose'], { env: { ELENIK_WEBHOOK_SECRET: SECRET } });
    assert.equal(code, 1);
    assert.ok(stdout.includes(`  handler failed: ${'step '.repeat(40)}\\u001b[2J\\u001b[31mred\n`), stdout);
    assert.ok(!stdout.includes('\u001b'), 'no raw ESC reaches the terminal');
  });

  test('--verbose shows the request and response headers, the signature but never the secret', async (t) => {
    const { origin } = await serve(t, (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_42' }).end('{"received":true}');
    });
    const { code, stdout } = await cli(['trigger', 'task_complete', '--url', `${origin}/webhooks/elenik`, '--verbose'], {
      env: { ELENIK_WEBHOOK_SECRET: SECRET },
    });
    assert.equal(code, 0, stdout);
    assert.match(stdout, new RegExp(`^  > POST ${origin}/webhooks/elenik$`, 'm'));
    assert.match(stdout, /^  > content-type: application\/json$/m);
    assert.match(stdout, /^  > user-agent: elenik-webhooks-cli\/\S+$/m);
    assert.match(stdout, /^  > x-elenik-signature: sha256=[0-9a-f]{64}$/m);
    assert.match(stdout, /^  > content-length: \d+$/m);
    assert.match(stdout, /^  < 200 OK$/m);
    assert.match(stdout, /^  < x-request-id: req_42$/m);
    assert.ok(!stdout.includes(SECRET), 'the secret is never printed');
    const quiet = await cli(['trigger', 'task_complete', '--url', `${origin}/webhooks/elenik`], { env: { ELENIK_WEBHOOK_SECRET: SECRET } });
    assert.ok(!/^ {2}[<>] /m.test(quiet.stdout), 'headers only with --verbose');
  });
});

// Issue 17 (5): redirects are never followed, so nothing goes where checkUrl would refuse.
describe('redirects are not followed', () => {
  /** A server that counts what reaches it, and one that redirects every request to it. */
  async function redirectPair(t, status, location) {
    const reached = [];
    const target = await serve(t, (req, res) => {
      req.resume();
      reached.push({ url: req.url, headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
    const port = target.server.address().port;
    const redirecting = await serve(t, (req, res) => {
      req.resume();
      res.writeHead(status, { location: location(port) }).end();
    });
    return { reached, origin: redirecting.origin };
  }

  for (const status of [301, 302, 303, 307, 308]) {
    test(`trigger: a ${status} to a URL checkUrl allows is reported, not followed (exit 1)`, async (t) => {
      const { reached, origin } = await redirectPair(t, status, (port) => `http://127.0.0.1:${port}/webhooks/elenik`);
      const { code, stdout } = await cli(['trigger', 'payment_verified', '--url', `${origin}/old`], { env: { ELENIK_WEBHOOK_SECRET: SECRET } });
      assert.equal(code, 1, stdout);
      assert.equal(reached.length, 0, 'nothing reached the redirect target');
      assert.match(stdout, new RegExp(`^1  redirect  ${status} `, 'm'));
      assert.match(stdout, new RegExp(`^hint: ${origin}/old redirects \\(${status}\\) to http://127\\.0\\.0\\.1:\\d+/webhooks/elenik; ` +
        'redirects are not followed, so nothing was sent there\\. If that is the right endpoint, pass it as --url$', 'm'));
    });
  }

  test('trigger: a 307 to [::ffff:127.0.0.1] (refused by checkUrl) sends nothing there, signed, tampered or unsigned', async (t) => {
    const { reached, origin } = await redirectPair(t, 307, (port) => `http://[::ffff:127.0.0.1]:${port}/`);
    for (const mode of [[], ['--tamper'], ['--unsigned'], ['-n', '3', '-c', '3']]) {
      const { code, stdout } = await cli(['trigger', 'payment_verified', '--url', `${origin}/`, ...mode], { env: { ELENIK_WEBHOOK_SECRET: SECRET } });
      assert.equal(code, 1, `${mode.join(' ')}: ${stdout}`);
      assert.match(stdout, /^hint: .* redirects \(307\) to http:\/\/\[::ffff:7f00:1\]:\d+\/; redirects are not followed, so nothing was sent there\. That URL is refused anyway: refusing plain http:\/\//m);
    }
    assert.equal(reached.length, 0, 'the signed body never left for a refused URL');
  });

  test('register: a 307 is reported, and neither the body nor X-Api-Key goes to its Location', async (t) => {
    for (const location of [(port) => `http://127.0.0.1:${port}/api/webhooks`, (port) => `http://[::ffff:127.0.0.1]:${port}/api/webhooks`]) {
      const { reached, origin } = await redirectPair(t, 307, location);
      const { code, stdout } = await cli([
        'register', '--url', 'https://hooks.example.com/elenik', '--events', 'task_complete', '--api-url', origin,
        '-H', 'X-Api-Key: elk_secret_key_9', '-H', 'Authorization: Token abc',
      ]);
      assert.equal(code, 1, stdout);
      assert.equal(reached.length, 0, 'nothing, and no key, reached the redirect target');
      assert.match(stdout, /^307 Temporary Redirect\nLocation: http:\/\/\S+\/api\/webhooks$/m);
      assert.match(stdout, /^hint: .* redirects \(307\) to .*; redirects are not followed, so nothing was sent there\./m);
      assert.ok(!stdout.includes('elk_secret_key_9') && !stdout.includes('Token abc'), 'header values are never printed');
    }
  });
});

// Issue 17 (8): init checks every path, dangling symlinks included, before writing anything.
describe('init refuses taken paths before writing anything', () => {
  const project = (name) => {
    const dir = join(tmp, name);
    mkdirSync(dir);
    return dir;
  };
  const entries = (dir) => readdirSync(dir, { recursive: true }).sort();

  test('a dangling symlink among the targets: exit 2, a clear message, nothing written', async () => {
    for (const target of ['.env', 'server.mjs', 'package.json', '.gitignore']) {
      const dir = project(`dangling-${target}`);
      symlinkSync(join(tmp, 'nowhere', 'at-all'), join(dir, target));
      const { code, stdout, stderr } = await cli(['init', 'express', '--dir', dir]);
      assert.equal(code, 2, `${target}: ${stderr}`);
      assert.equal(stdout, '');
      assert.match(stderr, new RegExp(`^elenik-webhooks: refusing to overwrite \\S+/${target.replace('.', '\\.')} \\(symlink to nothing\\); nothing was written`));
      assert.ok(!stderr.includes('    at '), 'no stack trace');
      assert.deepEqual(entries(dir), [target], `${target}: only the symlink is there`);
      assert.ok(lstatSync(join(dir, target)).isSymbolicLink());
    }
  });

  test('a symlink to a file, and a file where a folder must go: refused, nothing written', async () => {
    const linked = project('linked');
    writeFileSync(join(tmp, 'elsewhere.env'), 'KEEP=1\n');
    symlinkSync(join(tmp, 'elsewhere.env'), join(linked, '.env'));
    const refused = await cli(['init', 'node-http', '--dir', linked]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /refusing to overwrite \S+\/\.env \(symlink\); nothing was written/);
    assert.deepEqual(entries(linked), ['.env']);

    const next = project('next-app-file');
    writeFileSync(join(next, 'app'), 'a file');
    const notFolder = await cli(['init', 'nextjs', '--dir', next]);
    assert.equal(notFolder.code, 2, notFolder.stderr);
    assert.match(notFolder.stderr, /\S+\/app \(file\) must be a folder; nothing was written/);
    assert.deepEqual(entries(next), ['app']);

    const worker = project('worker-src-dangling');
    symlinkSync(join(tmp, 'nowhere'), join(worker, 'src'));
    const dangling = await cli(['init', 'worker', '--dir', worker]);
    assert.equal(dangling.code, 2, dangling.stderr);
    assert.match(dangling.stderr, /\S+\/src \(symlink to nothing\) must be a folder; nothing was written/);
    assert.deepEqual(entries(worker), ['src']);
  });

  test('--dir itself a dangling symlink: refused; a symlink to a folder is used', async () => {
    const link = join(tmp, 'dir-link');
    symlinkSync(join(tmp, 'no-such-folder'), link);
    const refused = await cli(['init', 'bun', '--dir', link]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /dir-link \(symlink to nothing\) must be a folder; nothing was written/);
    assert.equal(existsSync(join(tmp, 'no-such-folder')), false);

    const real = project('real-folder');
    symlinkSync(real, join(tmp, 'folder-link'));
    const ok = await cli(['init', 'bun', '--dir', join(tmp, 'folder-link')]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(entries(real), ['.env', '.gitignore', 'package.json', 'server.js']);
    assert.match(ok.stdout, /^ {2}npx elenik-webhooks trigger payment_verified --url http:\/\/127\.0\.0\.1:8787\/webhooks\/elenik --secrets-file \.env$/m);
  });
});
