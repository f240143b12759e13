// The store contract (README "Duplicates and replays"), one suite run against every store the
// package ships. A store comes with its clock: `advance(ms)` moves a fake clock (memory, Durable
// Object, Deno KV take `now`) or really waits (Redis and Postgres keep time on the server). Leases
// and TTLs are long on a fake clock (nothing real runs out while a slow machine answers) and short
// on a real one (the test waits them out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

const REAL = { lease: 0.5, ttl: 1 }; // seconds
const FAKE = { lease: 60, ttl: 120 };

/** Registers the contract tests for one store: `setup()` → { store, advance(ms) }. */
export function storeContract(setup) {
  let fixture;
  let LEASE;
  let TTL;
  const key = () => `contract-${randomUUID()}`;
  const token = () => randomUUID();
  test('setup', async () => {
    fixture = await setup();
    ({ lease: LEASE, ttl: TTL } = fixture.realTime ? REAL : FAKE);
  });

  test('a fresh key is claimed; another token then finds it processing', async () => {
    const { store } = fixture;
    const k = key();
    const a = token();
    assert.equal(await store.claim(k, a, LEASE), 'claimed');
    assert.equal(await store.claim(k, token(), LEASE), 'processing');
    assert.equal(await store.claim(k, a, LEASE), 'processing', 'a claim is not re-entrant');
  });

  test('complete by the holder → true, and the key is done for everyone', async () => {
    const { store } = fixture;
    const k = key();
    const a = token();
    assert.equal(await store.claim(k, a, LEASE), 'claimed');
    assert.equal(await store.complete(k, a, TTL), true);
    assert.equal(await store.claim(k, token(), LEASE), 'done');
    assert.equal(await store.claim(k, a, LEASE), 'done');
    assert.equal(await store.complete(k, a, TTL), false, 'a done key has no holder');
    assert.equal(await store.release(k, a), false, 'a done key is not released');
    assert.equal(await store.claim(k, token(), LEASE), 'done');
  });

  test('complete and release by another token → false, and the claim still holds', async () => {
    const { store } = fixture;
    const k = key();
    const a = token();
    assert.equal(await store.claim(k, a, LEASE), 'claimed');
    assert.equal(await store.complete(k, token(), TTL), false);
    assert.equal(await store.release(k, token()), false);
    assert.equal(await store.claim(k, token(), LEASE), 'processing');
    assert.equal(await store.complete(k, a, TTL), true);
  });

  test('release by the holder → true, and the key is claimable at once', async () => {
    const { store } = fixture;
    const k = key();
    const a = token();
    assert.equal(await store.claim(k, a, LEASE), 'claimed');
    assert.equal(await store.release(k, a), true);
    assert.equal(await store.release(k, a), false, 'released once');
    const b = token();
    assert.equal(await store.claim(k, b, LEASE), 'claimed');
    assert.equal(await store.complete(k, a, TTL), false, 'the old token lost it');
    assert.equal(await store.complete(k, b, TTL), true);
  });

  test('unknown keys: complete and release → false, nothing is created', async () => {
    const { store } = fixture;
    const k = key();
    assert.equal(await store.complete(k, token(), TTL), false);
    assert.equal(await store.release(k, token()), false);
    assert.equal(await store.claim(k, token(), LEASE), 'claimed');
  });

  test('an expired lease can be claimed again; the old holder can no longer complete or release', async () => {
    const { store, advance } = fixture;
    const k = key();
    const a = token();
    assert.equal(await store.claim(k, a, LEASE), 'claimed');
    await advance(LEASE * 1000 * 0.5);
    assert.equal(await store.claim(k, token(), LEASE), 'processing', 'the lease still holds halfway');
    await advance(LEASE * 1000 * 0.5 + 100);
    const b = token();
    assert.equal(await store.claim(k, b, LEASE), 'claimed');
    assert.equal(await store.complete(k, a, TTL), false);
    assert.equal(await store.release(k, a), false);
    assert.equal(await store.claim(k, token(), LEASE), 'processing');
    assert.equal(await store.complete(k, b, TTL), true);
  });

  test('a lease that ran out unclaimed: its holder cannot complete it', async () => {
    const { store, advance } = fixture;
    const k = key();
    const a = token();
    assert.equal(await store.claim(k, a, LEASE), 'claimed');
    await advance(LEASE * 1000 + 100);
    assert.equal(await store.complete(k, a, TTL), false);
    assert.equal(await store.claim(k, token(), LEASE), 'claimed');
  });

  test('done lasts ttlSeconds, then the key is claimable again', async () => {
    const { store, advance } = fixture;
    const k = key();
    const a = token();
    assert.equal(await store.claim(k, a, LEASE), 'claimed');
    assert.equal(await store.complete(k, a, TTL), true);
    await advance(TTL * 1000 * 0.5);
    assert.equal(await store.claim(k, token(), LEASE), 'done', 'still done halfway through the TTL');
    await advance(TTL * 1000 * 0.5 + 100);
    assert.equal(await store.claim(k, token(), LEASE), 'claimed');
  });

  test('50 concurrent claims of one key: exactly one is claimed, the others processing', async () => {
    const { store } = fixture;
    const k = key();
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => store.claim(k, token(), 30)));
    assert.equal(outcomes.filter((o) => o === 'claimed').length, 1);
    assert.equal(outcomes.filter((o) => o === 'processing').length, 49);
  });

  test('keys are independent', async () => {
    const { store } = fixture;
    const keys = Array.from({ length: 20 }, key);
    const outcomes = await Promise.all(keys.map((k) => store.claim(k, token(), 30)));
    assert.deepEqual(outcomes, keys.map(() => 'claimed'));
  });

  return () => fixture;
}

/** A clock for stores that take `now`: the real time plus what the test advanced it by. */
export function fakeClock() {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance: async (ms) => {
      offset += ms;
    },
  };
}

/** For stores that keep time themselves: advancing is waiting. */
export const realClock = { realTime: true, advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
