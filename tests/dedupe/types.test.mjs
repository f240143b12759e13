// The stores' TypeScript declarations, from the packed package, against the real client types of
// node-redis 5 and 4 and ioredis (types/stores.ts, with @ts-expect-error for what must not compile).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { runtimeBin } from '../../examples/harness.mjs';
import { consumer } from './package.mjs';

test('index.d.ts accepts node-redis 5/4 and ioredis clients and refuses what is not a store input', () => {
  const tsconfig = new URL('./types/tsconfig.json', import.meta.url).pathname;
  assert.ok(consumer.endsWith('target/dedupe-consumer'), 'types/tsconfig.json maps elenik-webhooks into this project');
  const result = spawnSync(runtimeBin('tsc'), ['-p', tsconfig], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, result.stdout + result.stderr);
});
