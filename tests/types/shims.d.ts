// The little of other packages and runtimes the README snippets (readme-*.ts) use, declared by
// hand: the consumer installs only elenik-webhooks, and `types: []` keeps @types/node out. What
// these snippets check is the package's own types under `strict`; the rest only has to exist.
declare const process: { env: { [name: string]: string | undefined } };
declare const Buffer: { concat(chunks: readonly Uint8Array[]): Uint8Array };
declare const Deno: { serve(handler: (request: Request) => Response | Promise<Response>): unknown };
declare const Bun: { serve(options: { routes: { [path: string]: (request: Request) => Promise<Response> } }): unknown };

declare module 'express' {
  interface Request { body: unknown; headers: { [name: string]: string | string[] | undefined } }
  interface Response { sendStatus(status: number): unknown }
  type Handler = (req: any, res: any) => unknown;
  interface App { post(path: string, ...handlers: Handler[]): unknown }
  interface Express { (): App; raw(options: { type: string }): Handler; json(): Handler }
  const express: Express;
  export default express;
}

declare module 'node:http' {
  import type { NodeRequestLike, NodeResponseLike } from 'elenik-webhooks';
  interface IncomingMessage extends NodeRequestLike, AsyncIterable<Uint8Array> {
    readonly headers: { [name: string]: string | string[] | undefined };
  }
  interface ServerResponse extends NodeResponseLike {
    writeHead(status: number): { end(body?: string): unknown };
  }
  export function createServer(handler: (req: IncomingMessage, res: ServerResponse) => unknown): { listen(port: number): unknown };
  const http: { createServer: typeof createServer };
  export default http;
}

declare module 'cloudflare:workers' {
  export const env: { ELENIK_WEBHOOK_SECRET?: string };
}

declare module 'vitest' {
  interface Mock { (...args: any[]): any; }
  export const vi: { fn(): Mock };
  export function it(name: string, test: () => Promise<void>): void;
  export function expect(value: unknown): { toBe(value: unknown): void; toEqual(value: unknown): void; toHaveBeenCalledTimes(count: number): void };
}

declare module 'node:test' {
  export function test(name: string, body: () => Promise<void>): void;
}

declare module 'node:assert/strict' {
  const assert: { equal(actual: unknown, expected: unknown): void };
  export default assert;
}

declare module '@jest/globals' {
  interface Mock {
    (...args: any[]): any;
    mockRejectedValueOnce(value: unknown): Mock;
    mockResolvedValue(value: unknown): Mock;
  }
  export const jest: { fn(): Mock };
}
declare function test(name: string, body: () => Promise<void>): void;
declare function expect(value: unknown): {
  toMatchObject(value: unknown): void;
  toHaveBeenCalledTimes(count: number): void;
};
