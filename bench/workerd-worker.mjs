// The worker run.mjs times inside workerd. workerd freezes its clocks while JavaScript runs (a
// Spectre mitigation), so the caller times requests from outside: `?size&case&n` runs one case
// n times; the per-operation time is the difference between a large n and n=0, divided by n.
import * as api from './pkg/index.workerd.js';
import { packageCases } from './fixtures.mjs';

const cache = new Map();
export default {
  fetch(request) {
    const url = new URL(request.url);
    const size = Number(url.searchParams.get('size'));
    const index = Number(url.searchParams.get('case'));
    const n = Number(url.searchParams.get('n'));
    if (!cache.has(size)) cache.set(size, packageCases(api, size));
    const [name, kind, fn] = cache.get(size)[index];
    let ok = 0;
    for (let i = 0; i < n; i++) if (fn()) ok++;
    return Response.json({ name, kind, ok });
  },
};
