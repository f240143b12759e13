// What a process spent on the CPU, for the benches that read it per request (bench/http/bench.mjs,
// tests/receiver/bench.mjs, the Redis benches through tests/dedupe/load.mjs): the thing measured
// is the bottleneck only if its own CPU time says so. No dependencies: the HTTP benches run from
// copies in target/ and import this file through ELENIK_ROOT.
import { existsSync, readFileSync } from 'node:fs';

/** A process's CPU time so far (user + system), in µs, from /proc on Linux (clock ticks of 10 ms); null elsewhere. */
export function cpuMicros(pid) {
  const path = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(path)) return null;
  const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/**
 * Starts counting the CPU time of the processes in `pids` ({ name: pid }) and of this one
 * (`load`, the load generator); the function returned gives each one's µs per request over
 * `requests` (null where /proc cannot tell).
 */
export function cpuMeter(pids) {
  const started = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMicros(pid)]));
  const self = process.cpuUsage();
  return (requests) => {
    const spent = Object.fromEntries(
      Object.entries(pids).map(([name, pid]) => {
        const now = cpuMicros(pid);
        return [name, now === null || started[name] === null ? null : (now - started[name]) / requests];
      }),
    );
    const { user, system } = process.cpuUsage(self);
    spent.load = (user + system) / requests;
    return spent;
  };
}
