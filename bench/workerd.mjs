// Times the package's verify inside workerd (tests/runtimes' binary) from outside: see
// workerd-worker.mjs. The package's workerd entry imports the .wasm as a module, as on Workers.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SIZES, summarize } from './fixtures.mjs';

export async function workerdRuns({ workerd, packageDir, workDir, port = 18787, samples = 21 }) {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  cpSync(packageDir, join(workDir, 'pkg'), { recursive: true });
  cpSync(new URL('./fixtures.mjs', import.meta.url), join(workDir, 'fixtures.mjs'));
  cpSync(new URL('./workerd-worker.mjs', import.meta.url), join(workDir, 'worker.js'));
  // The workerd entry is one file; its one import is the .wasm, as a module.
  const modules = [
    ...['worker.js', 'fixtures.mjs', 'pkg/index.workerd.js'].map((name) => `(name = "${name}", esModule = embed "${name}")`),
    '(name = "pkg/elenik_webhooks_bg.wasm", wasm = embed "pkg/elenik_webhooks_bg.wasm")',
  ];
  writeFileSync(
    join(workDir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .bench)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const bench :Workerd.Worker = (
  modules = [${modules.join(',\n    ')}],
  compatibilityDate = "2025-01-01",
);
`,
  );
  const child = spawn(workerd, ['serve', 'config.capnp'], { cwd: workDir, stdio: ['ignore', 'inherit', 'inherit'] });
  const killer = setTimeout(() => child.kill(), 10 * 60 * 1000); // stops by itself whatever happens
  const call = async (size, index, n) => {
    const t0 = process.hrtime.bigint();
    const response = await fetch(`http://127.0.0.1:${port}/?size=${size}&case=${index}&n=${n}`);
    const result = await response.json();
    const ns = Number(process.hrtime.bigint() - t0);
    if (result.ok !== n) throw new Error(`workerd: ${result.name} verified ${result.ok} of ${n}`);
    return { ns, result };
  };
  try {
    for (let i = 0; ; i++) {
      try {
        await call(256, 0, 1);
        break;
      } catch (error) {
        if (i > 100 || child.exitCode !== null) throw new Error(`workerd did not start: ${error.message}`);
        await sleep(100);
      }
    }
    const rows = [];
    for (const size of SIZES) {
      for (let index = 0; index < 4; index++) {
        // Warm up and size n so one request runs about 50 ms of verification.
        let n = 1;
        let { ns, result } = await call(size, index, n);
        while (ns < 50e6) {
          n *= 4;
          ({ ns } = await call(size, index, n));
        }
        const times = [];
        for (let s = 0; s < samples; s++) {
          const full = (await call(size, index, n)).ns;
          const empty = (await call(size, index, 0)).ns;
          times.push((full - empty) / n);
        }
        rows.push({ name: result.name, kind: result.kind, size, ...summarize(times, n) });
      }
    }
    return rows;
  } finally {
    clearTimeout(killer);
    child.kill();
  }
}
