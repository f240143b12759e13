// The hostile-surroundings cases, run against one server of app.mjs (any adapter). Each case
// posts signed deliveries with fresh user ids, asserts the README's status and body, and returns
// the handler runs it expects ("scenario:user_id" -> runs), which the caller checks against the
// server's own count: every handler that should run ran exactly once (or once per retry).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { SECRET, SHORT_MS } from './app.mjs';

const sign = (body, key = SECRET) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
const CLIENT_TIMEOUT_MS = 15_000; // no socket hangs: a request with no answer by then fails the case

let serial = 0;
/** A fresh delivery for `act` (see app.mjs), signed unless told otherwise. */
export function delivery(tag, act, { key = SECRET } = {}) {
  const id = `${tag}_${++serial}`;
  const body = JSON.stringify({ event: 'payment_verified', data: { user_id: id, amount: 49.99, currency: 'USD', act } });
  return { id, body, headers: { 'content-type': 'application/json', 'x-elenik-signature': sign(body, key) } };
}

export async function post(base, scenario, { body, headers }, method = 'POST') {
  const response = await fetch(`${base}/${scenario}`, { method, body, headers, signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), allow: response.headers.get('allow') };
}

export const getJson = async (base, path) =>
  (await fetch(`${base}${path}`, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) })).json();

/** Posts until the answer is no longer 409 (a held claim being let go), at most 40 times. */
async function postUntilSettled(base, scenario, d) {
  for (let i = 0; i < 40; i += 1) {
    const answer = await post(base, scenario, d);
    if (answer.status !== 409) return answer;
    await new Promise((resolve) => setTimeout(resolve, SHORT_MS / 2));
  }
  throw new Error(`${scenario}: still 409 after 40 tries`);
}

const ok = { received: true, event: 'payment_verified' };
const duplicate = { received: true, duplicate: true };
const code = (error, message) => (message === undefined ? { error } : { error, message });
const MESSAGES = {
  DELIVERY_IN_PROGRESS: 'this delivery is being processed; retry later',
  STORE_UNAVAILABLE: 'the duplicate guard is unavailable; retry later',
  HANDLER_TIMEOUT: 'the handlers did not finish within handlerTimeoutMs; retry later',
  DEDUPE_KEY_FAILED: 'the dedupe key function failed',
};
const answer = (status, error) => ({ status, body: code(error, MESSAGES[error]) });

function expectAnswer(got, status, body, what) {
  assert.deepEqual({ status: got.status, body: got.body }, { status, body }, what);
}

/**
 * Each case: (base, tag, { methods }) → { "scenario:id": runs }. `methods`: whether the server hands
 * every method to the receiver (not Fastify, whose route is POST only).
 */
export const CASES = {
  async 'valid, duplicate, forged, unsigned, PUT (the plain receiver)'(base, tag, { methods = true } = {}) {
    const d = delivery(tag);
    expectAnswer(await post(base, 'plain', d), 200, ok, 'valid');
    expectAnswer(await post(base, 'plain', d), 200, duplicate, 'duplicate');
    const forged = delivery(tag, undefined, { key: 'not-the-secret' });
    const got = await post(base, 'plain', forged);
    assert.equal(got.status, 401);
    assert.equal(got.body.error, 'SIGNATURE_MISMATCH');
    const unsigned = await post(base, 'plain', { body: d.body, headers: { 'content-type': 'application/json' } });
    assert.equal(unsigned.body.error, 'MISSING_SIGNATURE');
    if (methods) {
      const put = await post(base, 'plain', d, 'PUT');
      assert.deepEqual([put.status, put.body.error, put.allow], [405, 'METHOD_NOT_ALLOWED', 'POST']);
    }
    return { [`plain:${d.id}`]: 1 };
  },

  async 'one keep-alive connection: valid, forged, valid, each with its own Content-Length'(base, tag) {
    const a = delivery(tag);
    const forged = delivery(tag, undefined, { key: 'forged' });
    const b = delivery(tag);
    const answers = await keepAlive(base, '/plain', [a, forged, b]);
    assert.deepEqual(answers.map((x) => x.status), [200, 401, 200]);
    assert.deepEqual(answers[0].body, ok);
    assert.equal(answers[1].body.error, 'SIGNATURE_MISMATCH');
    assert.deepEqual(answers[2].body, ok);
    return { [`plain:${a.id}`]: 1, [`plain:${b.id}`]: 1 };
  },

  async 'a handler throws, and so does every logger method: 500, released, the retry runs'(base, tag) {
    const runs = {};
    for (const scenario of ['logger-throws', 'logger-getter-throws', 'onerror-throws', 'release-throws']) {
      const d = delivery(tag, 'throw-once');
      expectAnswer(await post(base, scenario, d), 500, code('HANDLER_FAILED'), `${scenario}: the failure`);
      // release-throws: the claim could not be freed, but the store's lease is its own business.
      expectAnswer(await post(base, scenario, d), 200, ok, `${scenario}: the retry`);
      runs[`${scenario}:${d.id}`] = 2;
    }
    return runs;
  },

  async 'handlers that reject with junk, return a throwing thenable, or return junk'(base, tag) {
    const runs = {};
    for (const act of ['reject-junk', 'thenable-throws']) {
      const d = delivery(tag, act);
      expectAnswer(await post(base, 'plain', d), 500, code('HANDLER_FAILED'), act);
      expectAnswer(await post(base, 'plain', d), 200, ok, `${act}: the retry`);
      runs[`plain:${d.id}`] = 2;
    }
    const junk = delivery(tag, 'junk');
    expectAnswer(await post(base, 'plain', junk), 200, ok, 'junk return value');
    runs[`plain:${junk.id}`] = 1;
    return runs;
  },

  async 'onAny throws: 500, released, the retry runs'(base, tag) {
    const d = delivery(tag);
    expectAnswer(await post(base, 'onany-throws', d), 500, code('HANDLER_FAILED'), 'onAny failed');
    expectAnswer(await post(base, 'onany-throws', d), 200, ok, 'the retry');
    return { [`onany-throws:${d.id}`]: 2 };
  },

  async 'a handler that hangs: 503 HANDLER_TIMEOUT, 409 while it runs, then one run done'(base, tag) {
    const d = delivery(tag, 'hold');
    expectAnswer(await post(base, 'handler-hangs', d), ...Object.values(answer(503, 'HANDLER_TIMEOUT')), 'the deadline');
    expectAnswer(await post(base, 'handler-hangs', d), ...Object.values(answer(409, 'DELIVERY_IN_PROGRESS')), 'a retry meanwhile');
    assert.deepEqual(await getJson(base, `/__finish?id=${d.id}`), { finished: true });
    expectAnswer(await postUntilSettled(base, 'handler-hangs', d), 200, duplicate, 'after it settled');
    return { [`handler-hangs:${d.id}`]: 1 };
  },

  async 'onError never settles: answered, then released'(base, tag) {
    const d = delivery(tag, 'throw-once');
    const first = await post(base, 'onerror-hangs', d);
    const allowed = [answer(503, 'HANDLER_TIMEOUT'), { status: 500, body: code('HANDLER_FAILED') }];
    assert.ok(allowed.some((a) => a.status === first.status && JSON.stringify(a.body) === JSON.stringify(first.body)), JSON.stringify(first));
    expectAnswer(await postUntilSettled(base, 'onerror-hangs', d), 200, ok, 'the retry once released');
    return { [`onerror-hangs:${d.id}`]: 2 };
  },

  async 'secrets that throw, reject, hang, are junk or freed: 500 INVALID_SECRET saying which; async works'(base, tag) {
    const why = {
      'secret-throws': 'invalid secret: the secret function threw',
      'secret-rejects': "invalid secret: the secret function's Promise rejected",
      'secret-hangs': `invalid secret: the secret function's Promise did not settle within storeTimeoutMs (${SHORT_MS} ms)`,
      'secret-freed': 'invalid secret: the Verifier given as secret has been freed',
    };
    for (const [scenario, message] of Object.entries(why)) {
      expectAnswer(await post(base, scenario, delivery(tag)), 500, { error: 'INVALID_SECRET', message }, scenario);
    }
    const junk = await post(base, 'secret-junk', delivery(tag));
    assert.equal(junk.status, 500);
    assert.equal(junk.body.error, 'INVALID_SECRET');
    const d = delivery(tag);
    expectAnswer(await post(base, 'secret-async', d), 200, ok, 'an async secret function');
    expectAnswer(await post(base, 'secret-async', d), 200, duplicate, 'an async secret function, again');
    return { [`secret-async:${d.id}`]: 1 };
  },

  async 'dedupe.key throws, hangs or returns junk: 500 DEDUPE_KEY_FAILED, nothing runs'(base, tag) {
    for (const scenario of ['key-throws', 'key-hangs', 'key-junk']) {
      expectAnswer(await post(base, scenario, delivery(tag)), ...Object.values(answer(500, 'DEDUPE_KEY_FAILED')), scenario);
    }
    return {};
  },

  async 'store.claim throws, rejects, hangs or answers junk: 503 STORE_UNAVAILABLE, nothing runs'(base, tag) {
    for (const scenario of ['claim-throws', 'claim-rejects', 'claim-hangs', 'claim-junk', 'claim-junk-object']) {
      expectAnswer(await post(base, scenario, delivery(tag)), ...Object.values(answer(503, 'STORE_UNAVAILABLE')), scenario);
    }
    return {};
  },

  async 'store.complete throws or hangs, store.release hangs: still answered, each handler once'(base, tag) {
    const a = delivery(tag);
    const b = delivery(tag);
    expectAnswer(await post(base, 'complete-throws', a), 200, ok, 'complete throws');
    expectAnswer(await post(base, 'complete-hangs', b), 200, ok, 'complete hangs');
    const c = delivery(tag, 'throw-once');
    expectAnswer(await post(base, 'release-hangs', c), 500, code('HANDLER_FAILED'), 'release hangs');
    return { [`complete-throws:${a.id}`]: 1, [`complete-hangs:${b.id}`]: 1, [`release-hangs:${c.id}`]: 1 };
  },

  async 'a bounded memoryStore full of live claims: 503, never a second run'(base, tag) {
    const [a, b, c] = [delivery(tag, 'hold'), delivery(tag, 'hold'), delivery(tag)];
    const timeout = answer(503, 'HANDLER_TIMEOUT');
    expectAnswer(await post(base, 'memory-full', a), timeout.status, timeout.body, 'a held');
    expectAnswer(await post(base, 'memory-full', b), timeout.status, timeout.body, 'b held');
    expectAnswer(await post(base, 'memory-full', c), ...Object.values(answer(503, 'STORE_UNAVAILABLE')), 'full of live claims');
    expectAnswer(await post(base, 'memory-full', a), ...Object.values(answer(409, 'DELIVERY_IN_PROGRESS')), 'a copy of a');
    await getJson(base, `/__finish?id=${a.id}`);
    await getJson(base, `/__finish?id=${b.id}`);
    expectAnswer(await postUntilSettled(base, 'memory-full', a), 200, duplicate, 'a done');
    expectAnswer(await post(base, 'memory-full', c), 200, ok, 'c, once a done marker made room');
    return { [`memory-full:${a.id}`]: 1, [`memory-full:${b.id}`]: 1, [`memory-full:${c.id}`]: 1 };
  },
};

/**
 * Sends the deliveries one after the other on ONE keep-alive TCP connection, reading each response
 * by its own Content-Length: a wrong length cuts a body or spills into the next response.
 */
export function keepAlive(base, path, deliveries) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const timer = setTimeout(() => (socket.destroy(), reject(new Error('keep-alive: no full answer in time'))), CLIENT_TIMEOUT_MS);
    const answers = [];
    let buffer = Buffer.alloc(0);
    const sendNext = () => {
      const d = deliveries[answers.length];
      const head = [`POST ${path} HTTP/1.1`, `host: ${hostname}:${port}`, 'connection: keep-alive', 'content-type: application/json',
        `x-elenik-signature: ${d.headers['x-elenik-signature']}`, `content-length: ${Buffer.byteLength(d.body)}`, '', ''].join('\r\n');
      socket.write(head + d.body);
    };
    socket.on('connect', sendNext);
    socket.on('error', (error) => (clearTimeout(timer), reject(error)));
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1]);
        if (!Number.isInteger(length)) return (clearTimeout(timer), socket.destroy(), reject(new Error(`no content-length:\n${head}`)));
        if (buffer.length < end + 4 + length) return;
        const text = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
        buffer = buffer.subarray(end + 4 + length);
        let body;
        try {
          body = JSON.parse(text);
        } catch {
          body = { unparsable: text };
        }
        answers.push({ status: Number(head.split(' ')[1]), body });
        if (answers.length === deliveries.length) {
          clearTimeout(timer);
          socket.destroy();
          return resolve(answers);
        }
        sendNext();
      }
    });
  });
}
