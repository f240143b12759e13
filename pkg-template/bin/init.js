// `elenik-webhooks init TEMPLATE [--dir D]`: writes a runnable receiver built on createReceiver,
// with a fresh test secret in its .env (.dev.vars for a Worker), and never overwrites a file.
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { out, parse, SECRET_ENV, UsageError } from './common.js';
import { QUEUE_TEMPLATES, QUEUE_VERSIONS } from './init-queue.js';

const PORT = 8787;
const PATH = '/webhooks/elenik';

// Framework versions the templates pin: the ones `make test` installs and runs them with.
const VERSIONS = {
  express: '5.3.0',
  fastify: '5.12.8',
  hono: '4.13.19',
  '@hono/node-server': '2.1.9',
  wrangler: '4.86.0',
  next: '16.4.6',
  react: '19.3.1',
  'react-dom': '19.3.1',
  ...QUEUE_VERSIONS,
};

const HANDLERS = `  // Handlers run once per delivery, after the signature and the event were checked; throw to
  // answer 500 and have Elenik retry. Replace these with your own.
  .on('payment_verified', async (event, { deliveryKey }) => {
    console.log(\`payment of \${event.data.amount} \${event.data.currency} by \${event.data.user_id} (\${deliveryKey})\`);
  })
  .onAny((event) => console.log(\`received \${event.event}\`));`;

const SECRET_CHECK = (read) => `const secret = ${read};
if (!secret) {
  console.error('Set ${SECRET_ENV} (see .env) to the endpoint secret shown in Elenik.');
  process.exit(2);
}`;

const nodeServer = (framework, { imports, app, listen }) => `// An Elenik webhook receiver on ${framework}, written by \`elenik-webhooks init\`.
//   npm start     (reads ${SECRET_ENV} from .env; PORT defaults to ${PORT})
${imports}
import { createReceiver } from 'elenik-webhooks';

${SECRET_CHECK(`process.env.${SECRET_ENV}`)}

const receiver = createReceiver({ secret })
${HANDLERS}

${app}
${listen}
`;

const LISTENING = (port) => `console.log(\`listening on http://127.0.0.1:\${${port}}${PATH}\`)`;

const TEMPLATES = {
  'node-http': {
    framework: 'node:http',
    files: {
      'server.mjs': nodeServer('node:http', {
        imports: "import { createServer } from 'node:http';",
        app: `// receiver.node reads the raw body itself, verifies it and answers every case as JSON.
const server = createServer((req, res) => {
  if (new URL(req.url, 'http://localhost').pathname === '${PATH}') return receiver.node(req, res);
  res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"NOT_FOUND"}');
});`,
        listen: `server.listen(Number(process.env.PORT ?? ${PORT}), '127.0.0.1', () => ${LISTENING('server.address().port')});`,
      }),
    },
    start: 'node --env-file=.env server.mjs',
  },
  express: {
    framework: 'Express 5',
    deps: ['express'],
    files: {
      'server.mjs': nodeServer('Express 5', {
        imports: "import express from 'express';",
        app: `const app = express();
// Before any body parser: the receiver reads the raw bytes Elenik signed. (After express.json()
// they are gone, and it answers 500 INVALID_PAYLOAD saying so.)
app.post('${PATH}', receiver.node);
app.use(express.json()); // your other routes
`,
        listen: `const server = app.listen(Number(process.env.PORT ?? ${PORT}), '127.0.0.1', () => ${LISTENING('server.address().port')});`,
      }),
    },
    start: 'node --env-file=.env server.mjs',
  },
  fastify: {
    framework: 'Fastify 5',
    deps: ['fastify'],
    // fastify 5 takes light-my-request ^6 (its inject(), unused by a server), whose 6.8 needs
    // cookie 2, which asks for Node.js >= 22: npm would warn on Node.js 20. 6.6 takes cookie 1.
    overrides: { 'light-my-request': '6.6.0' },
    files: {
      'server.mjs': nodeServer('Fastify 5', {
        imports: "import Fastify from 'fastify';",
        app: `const fastify = Fastify();
// In this scope application/json bodies stay the raw Buffer Elenik signed; other routes keep
// Fastify's JSON parser.
await fastify.register(async (webhooks) => {
  webhooks.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => done(null, body));
  webhooks.post('${PATH}', async (request, reply) => {
    const { status, body } = await receiver.receive(request.body, request.headers);
    return reply.code(status).send(body);
  });
});
`,
        listen: `await fastify.listen({ port: Number(process.env.PORT ?? ${PORT}), host: '127.0.0.1' });
${LISTENING('fastify.server.address().port')};`,
      }),
    },
    start: 'node --env-file=.env server.mjs',
  },
  hono: {
    framework: 'Hono on Node.js',
    deps: ['hono', '@hono/node-server'],
    files: {
      'server.mjs': nodeServer('Hono (Node.js)', {
        imports: "import { Hono } from 'hono';\nimport { serve } from '@hono/node-server';",
        app: `const app = new Hono();
// c.req.raw is the untouched fetch Request: do not read c.req.json() first.
app.post('${PATH}', (c) => receiver.fetch(c.req.raw));
`,
        listen: `serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT ?? ${PORT}) }, ({ port }) => ${LISTENING('port')});`,
      }),
    },
    start: 'node --env-file=.env server.mjs',
  },
  worker: {
    framework: 'Cloudflare Workers',
    devDeps: ['wrangler'],
    envFile: '.dev.vars',
    files: {
      'src/index.js': `// An Elenik webhook receiver as a Cloudflare Worker, written by \`elenik-webhooks init\`.
//   npm start     (wrangler dev; reads ${SECRET_ENV} from .dev.vars)
//   deploy: npx wrangler secret put ${SECRET_ENV} && npx wrangler deploy
import { env } from 'cloudflare:workers';
import { createReceiver, durableObjectStore } from 'elenik-webhooks';

// The duplicate guard's Durable Object class (bound as ELENIK_DEDUPE in wrangler.toml). Every
// isolate shares it, where the default in-memory store would guard one isolate only.
export { ElenikDedupe } from 'elenik-webhooks';

const receiver = createReceiver({ secret: env.${SECRET_ENV}, dedupe: durableObjectStore(env.ELENIK_DEDUPE) })
${HANDLERS}

// The receiver is the Worker: it reads the body as bytes, verifies it and answers JSON.
export default { fetch: receiver.fetch };
`,
      'wrangler.toml': `name = "elenik-webhooks-receiver"
main = "src/index.js"
compatibility_date = "2026-04-01"
# The secret is not in this file: .dev.vars for wrangler dev, \`wrangler secret put\` in production.

# The duplicate guard: one ElenikDedupe Durable Object per delivery, shared by every isolate.
[[durable_objects.bindings]]
name = "ELENIK_DEDUPE"
class_name = "ElenikDedupe"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["ElenikDedupe"]
`,
    },
    start: `wrangler dev --ip 127.0.0.1 --port ${PORT}`,
  },
  deno: {
    framework: 'Deno',
    files: {
      'server.ts': `// An Elenik webhook receiver on Deno.serve, written by \`elenik-webhooks init\`.
//   npm start     (deno run --env-file=.env ...; PORT defaults to ${PORT})
import { createReceiver } from 'elenik-webhooks';

const secret = Deno.env.get('${SECRET_ENV}');
if (!secret) {
  console.error('Set ${SECRET_ENV} (see .env) to the endpoint secret shown in Elenik.');
  Deno.exit(2);
}

const receiver = createReceiver({ secret })
${HANDLERS}

Deno.serve(
  { hostname: '127.0.0.1', port: Number(Deno.env.get('PORT') ?? ${PORT}), onListen: ({ port }) => ${LISTENING('port')} },
  (request) =>
    new URL(request.url).pathname === '${PATH}' ? receiver.fetch(request) : Response.json({ error: 'NOT_FOUND' }, { status: 404 }),
);
`,
    },
    start: `deno run --env-file=.env --allow-net=127.0.0.1 --allow-env=${SECRET_ENV},PORT server.ts`,
  },
  bun: {
    framework: 'Bun',
    files: {
      'server.js': `// An Elenik webhook receiver on Bun.serve, written by \`elenik-webhooks init\`.
//   npm start     (bun reads ${SECRET_ENV} from .env itself; PORT defaults to ${PORT})
import { createReceiver } from 'elenik-webhooks';

${SECRET_CHECK(`process.env.${SECRET_ENV}`)}

const receiver = createReceiver({ secret })
${HANDLERS}

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? ${PORT}),
  routes: { '${PATH}': receiver.fetch },
  fetch: () => Response.json({ error: 'NOT_FOUND' }, { status: 404 }),
});
${LISTENING('server.port')};
`,
    },
    start: 'bun server.js',
  },
  nextjs: {
    framework: 'Next.js (App Router)',
    deps: ['next', 'react', 'react-dom'],
    run: 'npm run dev',
    scripts: { dev: `next dev --port ${PORT}`, build: 'next build', start: `next start --port ${PORT}` },
    files: {
      'app/webhooks/elenik/route.js': `// An Elenik webhook receiver as a Next.js App Router route handler (POST ${PATH}),
// written by \`elenik-webhooks init\`. Next.js reads ${SECRET_ENV} from .env.
import { createReceiver } from 'elenik-webhooks';

// The secret as a function: read on the first request, because \`next build\` loads this module
// without the runtime's secrets.
const receiver = createReceiver({ secret: () => process.env.${SECRET_ENV} })
${HANDLERS}

// The handler reads the Request body as bytes itself: no body parsing happens before it.
export const POST = receiver.fetch;
`,
    },
  },
  ...QUEUE_TEMPLATES, // express-queue, worker-queue: bin/init-queue.js
};

export const TEMPLATE_NAMES = Object.keys(TEMPLATES);

export const INIT_HELP = `Usage: elenik-webhooks init TEMPLATE [--dir D]

Writes a runnable webhook receiver built on createReceiver into D (default:
elenik-webhooks-TEMPLATE), with a fresh random test secret in its .env (.dev.vars for a
Worker), and prints the commands to install, start and try it. It never overwrites a file: if
any path it would write exists (a symlink too, even one that points nowhere), or a folder it
needs is not a folder, it writes nothing and exits 2.

Templates: ${TEMPLATE_NAMES.join(', ')}

Options:
  --dir D      where to write (created if missing)
  -h, --help   show this help`;

/** A fresh test secret: 32 random bytes, base64url. Replace it with the endpoint's secret. */
const testSecret = () => `test_${randomBytes(32).toString('base64url')}`;

/** The files of `template` for a project in `dir`, keyed by relative path. */
export function templateFiles(name, dir, version) {
  const template = TEMPLATES[name];
  const pin = (names = []) => Object.fromEntries(names.map((n) => [n, VERSIONS[n]]));
  const manifest = {
    name: basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'elenik-receiver',
    private: true,
    type: 'module',
    scripts: template.scripts ?? { start: template.start },
    dependencies: { 'elenik-webhooks': `^${version}`, ...pin(template.deps) },
    ...(template.devDeps && { devDependencies: pin(template.devDeps) }),
    ...(template.overrides && { overrides: template.overrides }),
  };
  const envFile = template.envFile ?? '.env';
  return {
    'package.json': `${JSON.stringify(manifest, null, 2)}\n`,
    ...template.files,
    [envFile]: `# A random test secret written by elenik-webhooks init: put your endpoint's secret here.\n${SECRET_ENV}=${testSecret()}\n`,
    '.gitignore': `node_modules/\n${envFile}\n${name.startsWith('worker') ? '.wrangler/\n' : ''}${name === 'nextjs' ? '.next/\nnext-env.d.ts\n' : ''}`,
  };
}

export function runInit(args, { help, version }) {
  const { values, positionals } = parse('init', args, { dir: { type: 'string' } });
  if (values.help) return help('init');
  if (positionals.length !== 1) throw new UsageError(`expected one TEMPLATE: ${TEMPLATE_NAMES.join(', ')}`);
  const [name] = positionals;
  if (!Object.hasOwn(TEMPLATES, name)) throw new UsageError(`unknown template '${name}'; templates: ${TEMPLATE_NAMES.join(', ')}`);
  const dir = values.dir ?? `elenik-webhooks-${name}`;
  const files = templateFiles(name, dir, version);
  checkTargets(dir, Object.keys(files));
  writeAll(dir, files);
  const template = TEMPLATES[name];
  const shown = relative(process.cwd(), resolve(dir)) || '.';
  const envFile = template.envFile ?? '.env';
  out(`wrote a receiver on ${template.framework} to ${shown}/: ${Object.keys(files).join(', ')}`);
  out(`${envFile} holds a fresh random test secret; put your endpoint's secret there for real deliveries.`);
  out('');
  out('next:');
  out(`  cd ${shown} && npm install`);
  out(`  ${template.run ?? 'npm start'}`);
  out('');
  out(`then, from ${shown} in a second terminal, send it a signed test delivery:`);
  out(`  npx elenik-webhooks trigger payment_verified --url http://127.0.0.1:${PORT}${PATH} --secrets-file ${envFile}`);
  return 0;
}

/**
 * Refuses before anything is written: every file path must be free (lstat, so a symlink, even a
 * dangling one, counts as taken), and every folder on the way must be a folder or not exist yet.
 */
function checkTargets(dir, files) {
  const taken = [];
  const notFolders = new Set();
  const kind = (path) => {
    try {
      const stats = lstatSync(path);
      return stats.isSymbolicLink() ? symlinkKind(path) : stats.isDirectory() ? 'folder' : 'file';
    } catch (error) {
      // ENOTDIR: a folder above it is a file, which the walk up to it reports.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw new UsageError(`cannot check ${path}: ${error.message}; nothing was written`);
    }
  };
  for (const file of files) {
    const path = join(dir, file);
    for (let folder = dirname(path); ; folder = dirname(folder)) {
      const found = kind(folder);
      if (found !== null && found !== 'folder' && found !== 'symlink to a folder') notFolders.add(`${folder} (${found})`);
      if (found !== null || dirname(folder) === folder) break;
    }
    const found = kind(path);
    if (found !== null) taken.push(found === 'file' ? path : `${path} (${found})`);
  }
  if (notFolders.size > 0) {
    throw new UsageError(`${[...notFolders].join(', ')} must be a folder; nothing was written (choose another --dir)`);
  }
  if (taken.length > 0) {
    throw new UsageError(`refusing to overwrite ${taken.join(', ')}; nothing was written (choose another --dir)`);
  }
}

const symlinkKind = (path) => {
  try {
    return statSync(path).isDirectory() ? 'symlink to a folder' : 'symlink';
  } catch {
    return 'symlink to nothing';
  }
};

/** Writes every file, never through a symlink ('wx'); on a failure, removes what it wrote. */
function writeAll(dir, files) {
  const written = [];
  const created = [];
  try {
    for (const [file, content] of Object.entries(files)) {
      const path = join(dir, file);
      const first = mkdirSync(dirname(path), { recursive: true });
      // mkdir returns the first folder it made; it made every one from there down to the file's.
      if (first) {
        for (let folder = resolve(dirname(path)); folder.length >= resolve(first).length; folder = dirname(folder)) created.push(folder);
      }
      writeFileSync(path, content, { flag: 'wx', mode: file.startsWith('.env') || file === '.dev.vars' ? 0o600 : 0o644 });
      written.push(path);
    }
  } catch (error) {
    const quietly = (remove, path) => {
      try {
        remove(path);
      } catch {
        // left behind: the message below still names the failure
      }
    };
    for (const path of written) quietly(unlinkSync, path);
    for (const folder of created.sort((a, b) => b.length - a.length)) quietly(rmdirSync, folder);
    throw new UsageError(`cannot write ${error.path ?? dir}: ${error.code ?? error.message}; nothing was written`);
  }
}
