// Serves the browser test harness on 127.0.0.1, with the package under /elenik-webhooks/.
//   node examples/browser/serve.mjs [--package DIR] [--port N]
// DIR defaults to the repository's pkg/ (built by `make pkg`); the port to 8788 (0 picks one).
// Node built-ins only; no bundler, nothing fetched from the network.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = resolve(fileURLToPath(new URL('.', import.meta.url)));
const DEFAULT_PACKAGE = fileURLToPath(new URL('../../pkg/', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
};

/** Starts the server; resolves to `{ server, url }` once it listens. */
export function serve({ packageDir = DEFAULT_PACKAGE, port = 8788, host = '127.0.0.1' } = {}) {
  const roots = [
    ['/elenik-webhooks/', resolve(packageDir)],
    ['/', HERE],
  ];
  const server = createServer(async (req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      path = '/';
    }
    const [prefix, root] = roots.find(([p]) => path.startsWith(p));
    const relative = path.slice(prefix.length) || 'index.html';
    const file = normalize(join(root, relative));
    // Only files inside the two roots, and not the server's own source.
    const inside = file.startsWith(root + sep);
    const info = inside && req.method === 'GET' ? await stat(file).catch(() => null) : null;
    if (!info?.isFile() || file === fileURLToPath(import.meta.url)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done({ server, url: `http://${host}:${server.address().port}/` }));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { package: { type: 'string' }, port: { type: 'string' } } });
  const { url } = await serve({
    packageDir: values.package ?? DEFAULT_PACKAGE,
    port: Number(values.port ?? process.env.PORT ?? 8788),
  });
  console.log(`Elenik webhook test harness: ${url}  (Ctrl-C to stop)`);
}
