/**
 * elenik-webhooks: verify `X-Elenik-Signature` (HMAC-SHA256 of the raw body) and parse events.
 * The same WebAssembly core runs in Node.js, Cloudflare Workers, Deno, Bun and browsers.
 */

/** The raw request body: a string (hashed as UTF-8) or exactly the bytes of a buffer or view. */
export type Payload = string | ArrayBuffer | ArrayBufferView;

/** An endpoint secret: a non-empty string (UTF-8) or bytes. */
export type Secret = string | Uint8Array;

/** One secret, or 1 to 16 of them while rotating (any may match). */
export type Secrets = Secret | readonly Secret[];

/**
 * What the verifying functions accept as their secret: {@link Secrets}, or `undefined`, so that
 * `process.env.ELENIK_WEBHOOK_SECRET` type-checks under `strict`. A missing secret throws
 * `INVALID_SECRET` at once.
 */
export type SecretsInput = Secrets | undefined;

/** Anything with `get(name)`, such as a fetch `Headers`. */
export interface HeadersLike {
  get(name: string): string | null;
}

/** A plain or Node.js headers object; the signature header name is matched case-insensitively. */
export type HeadersRecord = { readonly [name: string]: string | readonly string[] | number | undefined };

/**
 * Where the signature comes from: the header value itself (`sha256=<hex>` or bare hex, several
 * separated by commas), a `Headers`, or a headers object. `null` and `undefined` mean missing.
 */
export type SignatureInput = string | readonly string[] | HeadersLike | HeadersRecord | null | undefined;

/** The signature header name, lower-cased. */
export declare const SIGNATURE_HEADER: 'x-elenik-signature';

/** Every stable error code. */
export type ErrorCode =
  | 'MISSING_SIGNATURE'
  | 'MALFORMED_SIGNATURE'
  | 'UNSUPPORTED_ALGORITHM'
  | 'SIGNATURE_MISMATCH'
  | 'INVALID_PAYLOAD'
  | 'INVALID_SECRET'
  | 'PAYLOAD_TOO_LARGE'
  | 'INVALID_JSON'
  | 'INVALID_EVENT';

/** Every error code, in a stable order. */
export declare const ERROR_CODES: readonly ErrorCode[];

/** The body limit of {@link verifyRequest} when none is given: 1 MiB. */
export declare const DEFAULT_MAX_BODY_BYTES: 1048576;

/** JSON values as `JSON.parse` returns them. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// <events: written by scripts/gen-events.mjs from src/event/events.json; edit that file, not this section>
/** The event types Elenik documents. A handler for another type needs `receiver.onUnknown`. */
export declare const EVENT_TYPES: readonly ['task_complete', 'payment_verified', 'user_signup', 'subscription_paid'];

/** A documented event type. */
export type KnownEventType = (typeof EVENT_TYPES)[number];

/** `task_complete`: an automated workflow finished. */
export interface TaskCompleteEvent {
  event: 'task_complete';
  data: {
    task_id: string;
    status: string;
    /** Unix time in whole seconds. */
    created_at: number;
    /** Sent by Elenik, not validated: may be absent. */
    workflow?: string;
    /** Sent by Elenik, not validated: may be absent. */
    duration_ms?: number;
  };
  [key: string]: JsonValue;
}

/** `payment_verified`: a subscription payment was confirmed. */
export interface PaymentVerifiedEvent {
  event: 'payment_verified';
  data: {
    user_id: string;
    amount: number;
    /** Three uppercase letters, such as `"USD"`. */
    currency: string;
    /** Sent by Elenik, not validated: may be absent. */
    payment_id?: string;
    /** Sent by Elenik, not validated: may be absent. */
    verified_at?: number;
  };
  [key: string]: JsonValue;
}

/** `user_signup`: a new user created an account. */
export interface UserSignupEvent {
  event: 'user_signup';
  data: {
    user_id: string;
    /** Sent by Elenik, not validated: may be absent. */
    email?: string;
    /** Sent by Elenik, not validated: may be absent. */
    plan?: string;
    /** Sent by Elenik, not validated: may be absent. */
    created_at?: number;
  };
  [key: string]: JsonValue;
}

/** `subscription_paid`: a subscription was paid. */
export interface SubscriptionPaidEvent {
  event: 'subscription_paid';
  data: {
    /** Sent by Elenik, not validated: may be absent. */
    subscription_id?: string;
    /** Sent by Elenik, not validated: may be absent. */
    user_id?: string;
    /** Sent by Elenik, not validated: may be absent. */
    plan?: string;
    /** Sent by Elenik, not validated: may be absent. */
    amount?: number;
    /** Sent by Elenik, not validated: may be absent. */
    currency?: string;
    /** Sent by Elenik, not validated: may be absent. */
    period_start?: number;
    /** Sent by Elenik, not validated: may be absent. */
    period_end?: number;
  };
  [key: string]: JsonValue;
}

/**
 * An event of a documented type. `data` lists the fields Elenik sends for the type (those it
 * validates are always present): reading another type's field, or a typo, does not compile.
 */
export type KnownEvent = TaskCompleteEvent | PaymentVerifiedEvent | UserSignupEvent | SubscriptionPaidEvent;
// </events>

/**
 * An event of a type this version does not know: what a handler registered with
 * `receiver.onUnknown` receives. (Other APIs type the event as {@link ElenikEvent}; see there.)
 */
export interface UnknownEvent {
  event: string;
  data: { [key: string]: JsonValue };
  [key: string]: JsonValue;
}

/**
 * A parsed event: exactly `JSON.parse(body)`, validated. Narrow it on `event`, whose type is the
 * union of the documented types' names, so `event.event === 'payment_verifed'` does not compile.
 * Elenik may add types before this package knows them: such an event still parses (its envelope
 * checked) and reaches `onAny`, so keep a `default` branch that ignores what it does not know. To
 * handle one, use `receiver.onUnknown(type, handler)`, or compare `String(event.event)`.
 */
export type ElenikEvent = KnownEvent;

/** The one error thrown by this package; branch on `code`. */
export declare class WebhookVerificationError extends Error {
  readonly name: 'WebhookVerificationError';
  readonly code: ErrorCode;
  /**
   * The HTTP status to answer with: 401 for a missing or wrong signature, 400 for a bad event,
   * 413 for an oversize body, 500 for the receiver's own mistakes (`INVALID_SECRET`,
   * `INVALID_PAYLOAD`).
   */
  readonly status: 400 | 401 | 413 | 500;
  constructor(code: ErrorCode, message: string);
}

/** What {@link Verifier.tryVerify} returns. */
export type VerifyResult =
  | { readonly ok: true; readonly secretIndex: number }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/**
 * Whether `header` is a valid signature of `payload`. Returns `false` for a missing, malformed,
 * unsupported or non-matching signature; throws only `INVALID_PAYLOAD` or `INVALID_SECRET`.
 */
export declare function verify(payload: Payload, header: SignatureInput, secret: SecretsInput): boolean;

/** Verifies the signature, then parses and validates the event. Throws {@link WebhookVerificationError}. */
export declare function constructEvent(payload: Payload, header: SignatureInput, secret: SecretsInput): ElenikEvent;

/**
 * Parses and validates an event **without verifying its signature**. Use {@link constructEvent}
 * for anything received over the network.
 */
export declare function parseEvent(payload: Payload): ElenikEvent;

/** The header value `sha256=<64 lowercase hex>` for `payload` signed with `secret`. */
export declare function sign(payload: Payload, secret: Secret): `sha256=${string}`;

/**
 * The delivery key of `payload`: the lowercase hex SHA-256 of the raw body (64 characters). A
 * retry of a delivery carries the same bytes, so it has the same key, whichever secret signed
 * it; the receiver's duplicate guard claims this key. Use it for your own idempotent writes.
 */
export declare function deliveryKey(payload: Payload): string;

/** What a {@link MismatchFinding} is about, in the order findings are reported. */
export type FindingCode =
  | 'MISSING_SIGNATURE'
  | 'UNSUPPORTED_ALGORITHM'
  | 'MALFORMED_SIGNATURE'
  | 'SECRET_WHITESPACE'
  | 'BODY_TRAILING_NEWLINE'
  | 'BODY_LINE_ENDINGS'
  | 'BODY_RESERIALIZED'
  | 'BODY_REINDENTED'
  | 'SECRET_PREFIX'
  | 'SECRET_BASE64'
  | 'BODY_LATIN1'
  | 'SECRET_OR_BODY_DIFFERS';

/** One reason why a signature did not verify. Never contains the secret or the expected signature. */
export interface MismatchFinding {
  readonly code: FindingCode;
  /** What was found, in one line. */
  readonly message: string;
  /** What to change. */
  readonly fix: string;
}

/**
 * Explains why `header` is not a valid signature of `payload` with `secret`: the header's
 * problem, or the variant of the body or secret that does match (trailing newline, CRLF,
 * `JSON.stringify(JSON.parse(body))`, 2-space indentation, a `whsec_` prefix, base64, Latin-1),
 * else `SECRET_OR_BODY_DIFFERS`. An empty array means the signature is valid. For development:
 * it hashes at most 9 variants. Throws only `INVALID_PAYLOAD` or `INVALID_SECRET`.
 */
export declare function explainMismatch(payload: Payload, header: SignatureInput, secret: Secret): MismatchFinding[];

/** Verifies with one or more secrets whose HMAC key state is computed once; build it at start-up. */
export declare class Verifier {
  constructor(secrets: SecretsInput);
  /** How many secrets this verifier tries. */
  readonly secretCount: number;
  verify(payload: Payload, header: SignatureInput): boolean;
  constructEvent(payload: Payload, header: SignatureInput): ElenikEvent;
  /** Never throws: which secret matched, or why nothing did. */
  tryVerify(payload: Payload, header: SignatureInput): VerifyResult;
  /** Signs with the first secret. */
  sign(payload: Payload): `sha256=${string}`;
  /**
   * Releases the key material now rather than at garbage collection, wiping it from memory.
   * Calling it again does nothing; any other method of a freed verifier throws a `TypeError`.
   */
  free(): void;
  /** The same as {@link Verifier.free}: `using verifier = new Verifier(secret)` frees it at the end of the block. */
  [Symbol.dispose](): void;
}

/** Options of {@link verifyRequest}. */
export interface VerifyRequestOptions {
  /** Bodies larger than this many bytes are refused with `PAYLOAD_TOO_LARGE`. Default 1 MiB. */
  maxBodyBytes?: number;
}

/** A fetch `Request`, or anything shaped like one. */
export interface RequestLike {
  readonly headers: HeadersLike;
  readonly body: ReadableStream<Uint8Array> | null;
  readonly bodyUsed: boolean;
}

/**
 * For fetch-style handlers (Workers, Deno, Bun, Hono): reads the body once as bytes (at most
 * `maxBodyBytes`), finds the signature header, verifies and parses.
 */
export declare function verifyRequest(
  request: RequestLike,
  secretOrVerifier: SecretsInput | Verifier,
  options?: VerifyRequestOptions,
): Promise<ElenikEvent>;

/** The event of type `T`: a documented type gets its own interface, any other type {@link UnknownEvent}. */
export type EventOfType<T extends string> = T extends KnownEventType ? Extract<KnownEvent, { event: T }> : UnknownEvent;

/**
 * What `receiver.onUnknown` accepts: a type this version does not document. A documented one is
 * refused with a message saying so (register it with `on`, which types its event).
 */
export type UnknownEventTypeName<T extends string> = T extends KnownEventType ? `${T} is a documented event type: use receiver.on` : T;

/** What handlers receive next to the event (of type `E`, the handler's). */
export interface DeliveryContext<E extends ElenikEvent | UnknownEvent = ElenikEvent> {
  /**
   * The delivery's key: the one the duplicate guard claimed, or would claim with the guard off
   * (by default {@link deliveryKey} of the body). Use it for your own idempotent writes.
   */
  readonly deliveryKey: string;
  /** The verified event (the same object the handler got). */
  readonly event: E;
  /**
   * The request's headers, as the adapter or the caller of `receive` passed them; in
   * {@link Receiver.consume}, only the signature header the message carried.
   */
  readonly headers: SignatureInput;
}

/** A handler may be async; the receiver awaits it before answering. */
export type EventHandler<E extends ElenikEvent | UnknownEvent = ElenikEvent> = (event: E, context: DeliveryContext<E>) => unknown;

/**
 * Where the duplicate guard keeps its claims; write your own for Postgres, DynamoDB... Every
 * method must be atomic with respect to other receivers sharing the store.
 */
export interface DedupeStore {
  /**
   * Claims `key` for `token` for `leaseSeconds`: `'claimed'` if it was free (or its lease
   * expired), `'processing'` while another token holds an unexpired lease, `'done'` once a
   * `complete` succeeded and until its TTL runs out.
   */
  claim(key: string, token: string, leaseSeconds: number): Promise<'claimed' | 'processing' | 'done'>;
  /** Marks `key` done for `ttlSeconds`, only if `token` still holds the claim; says whether it did. */
  complete(key: string, token: string, ttlSeconds: number): Promise<boolean>;
  /** Frees `key` at once, only if `token` still holds the claim; says whether it did. */
  release(key: string, token: string): Promise<boolean>;
}

/** The duplicate guard's options. */
export interface DedupeOptions {
  /** Default: a fresh {@link memoryStore}, which guards this one process only. */
  store?: DedupeStore;
  /** The delivery key. Default: {@link deliveryKey} of the raw body. */
  key?: (event: ElenikEvent, body: Payload) => string | Promise<string>;
  /** How long a claim holds while the handlers run. Choose it longer than your slowest handler. Default 60. */
  leaseSeconds?: number;
  /** How long a processed delivery is remembered as done. Default 604800 (7 days). */
  ttlSeconds?: number;
}

/** Options of {@link createReceiver}. */
export interface ReceiverOptions {
  /**
   * The endpoint secret, 1 to 16 of them while rotating, or a {@link Verifier}; checked at once.
   * Or a function returning one, called on the first request: for modules that a build step
   * loads without the runtime's secrets (`next build`). Until it returns a valid secret, requests
   * are answered 500 `INVALID_SECRET`.
   *
   * `undefined` type-checks, so `secret: process.env.ELENIK_WEBHOOK_SECRET` compiles under
   * `strict`; at run time a missing or empty secret throws `INVALID_SECRET` at once, naming
   * `ELENIK_WEBHOOK_SECRET` and what it got.
   */
  secret: Secrets | Verifier | (() => Secrets | Verifier | undefined) | undefined;
  /** Bodies larger than this are answered 413 without being read in full. Default 1 MiB. */
  maxBodyBytes?: number;
  /** The duplicate guard: a store, its options, or `false` for none. Default: `memoryStore()`. */
  dedupe?: DedupeStore | DedupeOptions | false;
  /**
   * Acknowledge fast: each verified, new delivery is sent to this queue and answered 200
   * `{"received":true,"event":"<type>","queued":true}` once the queue accepted it; its handlers
   * run from the queue ({@link Receiver.consume}), never in the request. A send that rejects or
   * takes longer than the queue's `timeoutMs` is answered 503 `QUEUE_UNAVAILABLE`.
   */
  queue?: QueueAdapter | false | null;
  /**
   * Where rejections and failures are logged: `error` for the receiver's own misconfiguration, a
   * handler failure, an unavailable store; `warn` for rejected deliveries (401, 400, 413, 405).
   * One line per code per 10 s, the next one with the count of those not logged. Default
   * `console`; `false` for silence.
   */
  logger?: { warn(...args: unknown[]): void; error(...args: unknown[]): void } | false | null;
  /**
   * The `@opentelemetry/api` module (`import * as otel from '@opentelemetry/api'`): a span per
   * delivery, a child span per handler, an `elenik.deliveries` counter and an
   * `elenik.handler.duration` histogram. Passed in, never imported: without it nothing of
   * OpenTelemetry is loaded.
   */
  telemetry?: TelemetryApi;
  /**
   * Whether a 401's log line leaves out `explainMismatch`'s finding codes. Default:
   * `process.env.NODE_ENV === 'production'` where `process` exists, else `false`.
   */
  production?: boolean;
  /** The clock the log's rate limit and the durations read, in milliseconds (for tests). Default `performance.now()`. */
  now?: () => number;
}

/**
 * The parts of the `@opentelemetry/api` module the receiver uses (pass the module itself). Typed
 * structurally so that this package's types need no `@opentelemetry/api` installed.
 */
export interface TelemetryApi {
  readonly trace: { getTracer(name: string, version?: string): unknown; setSpan(context: any, span: any): any };
  readonly metrics: { getMeter(name: string, version?: string): unknown };
  readonly context: { active(): unknown; with(context: any, fn: (...args: any[]) => any, ...rest: any[]): unknown };
}

/** What {@link Receiver.onDelivery} hooks get, once for every request, whatever its status. */
export interface DeliveryOutcome {
  /** The status answered; 499 when the client went away before its body was read (nothing answered). */
  status: number;
  /** The error code of any answer that is not 200 (`'CLIENT_CLOSED'` for a 499). */
  code?: ErrorCode | ReceiverErrorCode | 'CLIENT_CLOSED' | (string & {});
  /** The verified event's type. */
  event?: string;
  /** The delivery key the guard claimed (with `dedupe: false`, only when a handler read `context.deliveryKey`). */
  deliveryKey?: string;
  /** `true` when it was a duplicate of a delivery already processed. */
  duplicate: boolean;
  /** Milliseconds from the request (or the receive() call) to the answer. */
  durationMs: number;
  /** Milliseconds spent in the handlers, when they ran. */
  handlerMs?: number;
}

/** The receiver's own error codes (beside the core's {@link ErrorCode}s), one per outcome it answers. */
export type ReceiverErrorCode =
  | 'METHOD_NOT_ALLOWED'
  | 'DELIVERY_IN_PROGRESS'
  | 'DEDUPE_KEY_FAILED'
  | 'HANDLER_FAILED'
  | 'INTERNAL_ERROR'
  | 'STORE_UNAVAILABLE'
  | 'QUEUE_UNAVAILABLE';

/** The error bodies the receiver answers with. */
export interface ReceiverErrorBody {
  error: ErrorCode | ReceiverErrorCode;
  message?: string;
  received?: undefined;
}

/**
 * The body of a delivery the receiver accepted: its handlers succeeded, or it was a duplicate.
 * Each body form names the others' keys as `undefined`, so `body.error` type-checks on any.
 */
export type ReceivedBody =
  | { received: true; event: string; queued?: true; duplicate?: undefined; error?: undefined; message?: undefined }
  | { received: true; duplicate: true; event?: undefined; queued?: undefined; error?: undefined; message?: undefined };

/** What {@link Receiver.receive} decided: the HTTP status and JSON body to answer with. */
export interface ReceiveResult {
  status: number;
  /** `body.error` is the code when it failed (`undefined` when it was received), `body.received` `true` otherwise. */
  body: ReceivedBody | ReceiverErrorBody;
  /** The verified event, when it verified. */
  event?: ElenikEvent;
  /** `true` when this delivery was already processed (no handler ran). */
  duplicate?: true;
  /** `true` when the queue accepted this delivery (the `queue` option); its handlers run from there. */
  queued?: true;
}

/**
 * The message the receiver sends to its queue (version 1): a plain object every engine stores as
 * it is. Read it, never build it: {@link Receiver.consume} verifies it again.
 */
export interface QueueMessage {
  readonly v: 1;
  /** The delivery key (informative: the consumer takes it from the verified body). */
  readonly key: string;
  /** The event type. */
  readonly event: string;
  /** The signature header, as received. */
  readonly signature: string;
  /** The body's exact bytes: its UTF-8 text (`encoding: 'utf8'`), else base64. */
  readonly body: string;
  readonly encoding: 'utf8' | 'base64';
  /** When the receiver accepted it, in milliseconds since the epoch. */
  readonly receivedAt: number;
}

/** Where the `queue` option sends messages; write your own (SQS, pg-boss) with this shape. */
export interface QueueAdapter {
  /** Resolves once the queue holds the message durably; rejects when it refused it. */
  send(message: QueueMessage): Promise<unknown>;
  /** A send not settled after this long counts as refused. Default 10000 (the adapters here: 5000). */
  readonly timeoutMs?: number;
}

/**
 * What {@link Receiver.consume} did with a message it settled: `'ran'` (the handlers succeeded),
 * `'duplicate'` (an earlier copy ran), `'rejected'` (not a message, or it did not verify: nothing
 * ran; logged). It rejects when the queue should try again.
 */
export type ConsumeOutcome = 'ran' | 'duplicate' | 'rejected';

/** A Cloudflare Queues message batch, as a consumer Worker's `queue(batch)` receives it. */
export interface QueueBatchLike {
  readonly messages: readonly {
    readonly body: unknown;
    ack(): void;
    retry(options?: { delaySeconds?: number }): void;
  }[];
}

/** The parts of a Node.js `IncomingMessage` the receiver uses (Express and Connect requests are ones). */
export interface NodeRequestLike {
  readonly method?: string;
  readonly headers: HeadersRecord;
  /** Set by body parsers: bytes (express.raw) are used; a parsed object or string is refused. */
  readonly body?: unknown;
  /** A raw copy some frameworks keep. */
  readonly rawBody?: unknown;
  readonly readableEnded: boolean;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  pause(): unknown;
}

/** The parts of a Node.js `ServerResponse` the receiver uses. */
export interface NodeResponseLike {
  readonly headersSent: boolean;
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  end(body?: string): unknown;
}

/** A webhook endpoint: verified, typed handlers, a duplicate guard, and an answer for every case. */
export interface Receiver {
  /**
   * Runs `handler` for events of `type` (or any of the types), in registration order. Only the
   * documented types compile (a typo does not); for another, use {@link Receiver.onUnknown}.
   * (`[T][T extends unknown ? 0 : never]` is `T`, not inferred from the handler: a handler of
   * another type's event is then an error about the handler, as TypeScript 5.4's `NoInfer`.)
   */
  on<T extends KnownEventType>(type: T | readonly T[], handler: EventHandler<EventOfType<[T][T extends unknown ? 0 : never]>>): this;
  /**
   * The opt-in for a type this version does not document (one Elenik added since): `handler`
   * gets it as an {@link UnknownEvent}, in registration order with the others of that type.
   */
  onUnknown<T extends string>(type: UnknownEventTypeName<T> | readonly UnknownEventTypeName<T>[], handler: EventHandler<UnknownEvent>): this;
  /**
   * Runs for every verified event the guard lets through, after the typed handlers, including
   * types this version does not document (see {@link ElenikEvent}). Never for duplicates.
   */
  onAny(handler: EventHandler): this;
  /** Called when a handler threw; the answer is then 500 `HANDLER_FAILED` and the delivery is released. */
  onError(handler: (error: unknown, context: DeliveryContext) => unknown): this;
  /**
   * Called with the outcome of every request, whatever its status (405, body-read failures, 401s,
   * duplicates…), once the answer is decided: the place to count and alert. Not awaited; a hook
   * that throws, rejects or never settles changes no answer and delays none.
   */
  onDelivery(hook: (outcome: DeliveryOutcome) => unknown): this;
  /** The framework-free core: verifies, guards, runs the handlers and says what to answer. */
  receive(payload: Payload, headers: SignatureInput): Promise<ReceiveResult>;
  /**
   * Runs one queue message's handlers, at most once per delivery (its own claim in the dedupe
   * store). Verifies the body and signature again first. Resolves when the message is settled;
   * rejects (a handler's error, or an `Error` with `code` `DELIVERY_IN_PROGRESS`,
   * `STORE_UNAVAILABLE` or `DEDUPE_KEY_FAILED`) when the queue should retry it.
   * BullMQ: `new Worker(name, (job) => receiver.consume(job.data), { connection })`.
   */
  consume(message: unknown): Promise<ConsumeOutcome>;
  /** A Cloudflare Queues consumer: acks each message consume settled, retries the others. Works unbound. */
  queue(batch: QueueBatchLike): Promise<void>;
  /** For fetch-style servers: Workers, Deno.serve, Bun.serve, Hono, Next.js. Works unbound. */
  fetch(request: Request): Promise<Response>;
  /** For `http.createServer`, Express and Connect. Works unbound. Never rejects. */
  node(req: NodeRequestLike, res: NodeResponseLike): Promise<void>;
}

/**
 * A webhook receiver: `createReceiver({ secret }).on('payment_verified', handler)`, served by
 * `receiver.fetch` or `receiver.node`. Throws `INVALID_SECRET` at once for a missing secret
 * (unless `secret` is a function, read on the first request).
 */
export declare function createReceiver(options: ReceiverOptions): Receiver;

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** How many keys it keeps; past it, the oldest go first. Default 10000. */
  maxEntries?: number;
  /** The clock, in milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** The in-process store: the default duplicate guard. It guards one process only. */
export interface MemoryStore extends DedupeStore {
  /** Keys held now (claimed or done; expired ones until touched or evicted). */
  readonly size: number;
  readonly maxEntries: number;
}

/** An in-memory {@link DedupeStore} holding at most `maxEntries` keys (oldest evicted first). */
export declare function memoryStore(options?: MemoryStoreOptions): MemoryStore;

// Stores: the duplicate guard shared by every receiver instance. Each takes the user's own client
// or binding (the package depends on none of them); any object with the three methods of
// DedupeStore works as well (Postgres, DynamoDB: README "Duplicates and replays").

/** A connected Redis client: node-redis 4/5 (`createClient`) or ioredis (also its `Cluster`). */
export type RedisClientLike =
  | { call(command: string, ...args: string[]): Promise<unknown> }
  | { sendCommand(args: string[]): Promise<unknown> };

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** Put before every delivery key. Default `"elenik:dedupe:"`. */
  prefix?: string;
  /**
   * A command with no answer after this long rejects (the receiver answers 503), also when the
   * client queues commands while Redis is down. Default 5000.
   */
  timeoutMs?: number;
  /**
   * Claim with a Lua script instead of `SET … NX PX … GET` (which needs Redis 7.0). Not needed:
   * an older server is detected on the first claim. Default false.
   */
  claimWithScript?: boolean;
}

/**
 * The guard on Redis: claim by `SET key token NX PX lease GET`, compare-and-set `complete`/`release`
 * by token in Lua, leases and TTLs on the server's clock. One key per delivery.
 */
export declare function redisStore(client: RedisClientLike, options?: RedisStoreOptions): DedupeStore;

/** A Durable Object namespace binding of {@link ElenikDedupe} (`env.ELENIK_DEDUPE`). */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: any): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

/** Options of {@link durableObjectStore}. */
export interface DurableObjectStoreOptions {
  /** Put before every delivery key when naming its object. Default `""`. */
  prefix?: string;
  /** The clock (milliseconds) sent to the objects, for tests. Default: each object's own. */
  now?: () => number;
}

/**
 * The guard on Cloudflare Workers: one {@link ElenikDedupe} object per delivery key, strongly
 * consistent. (Not KV: it is eventually consistent and has no atomic compare-and-set.)
 */
export declare function durableObjectStore(namespace: DurableObjectNamespaceLike, options?: DurableObjectStoreOptions): DedupeStore;

/**
 * The Durable Object class behind {@link durableObjectStore}. Export it from your Worker
 * (`export { ElenikDedupe } from 'elenik-webhooks'`) and bind it in wrangler.toml.
 */
export declare class ElenikDedupe {
  constructor(state: any, env: unknown);
  fetch(request: Request): Promise<Response>;
  alarm(): Promise<void>;
}

/** A Deno KV database (`await Deno.openKv()`). */
export interface DenoKvLike {
  get(key: any): Promise<{ key: readonly unknown[]; value: unknown; versionstamp: string | null }>;
  atomic(): unknown;
}

/** Options of {@link denoKvStore}. */
export interface DenoKvStoreOptions {
  /** The KV key every delivery key goes under. Default `["elenik-dedupe"]`. */
  prefix?: readonly (string | number | bigint | boolean | Uint8Array)[];
  /** The clock, in milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** The guard on Deno KV: every write an atomic operation checked on the versionstamp it read. */
export declare function denoKvStore(kv: DenoKvLike, options?: DenoKvStoreOptions): DedupeStore;

// Queues for the receiver's `queue` option. Each takes the user's own Queue, binding or Deno.Kv.

/** A BullMQ `Queue` (from "bullmq"). */
export interface BullMQQueueLike {
  add(name: string, data: any, options?: any): Promise<unknown>;
}

/** Options of the queue adapters. */
export interface QueueAdapterOptions {
  /** A send not settled after this long is answered 503 `QUEUE_UNAVAILABLE`. Default 5000. */
  timeoutMs?: number;
}

/**
 * The `queue` on BullMQ: one job per delivery, named by its event type, `job.data` the
 * {@link QueueMessage}. `jobOptions` override the defaults: 8 attempts, exponential backoff from
 * 5 s, completed jobs trimmed after a day, failed jobs kept (`removeOnFail: false`: the dead letters).
 */
export declare function bullmqQueue(queue: BullMQQueueLike, jobOptions?: Record<string, unknown>, options?: QueueAdapterOptions): QueueAdapter;

/** A Cloudflare Queues producer binding (`env.<NAME>`). */
export interface CloudflareQueueLike {
  send(message: any, options?: any): Promise<unknown>;
}

/** The `queue` on Cloudflare Queues; consume with `export default { fetch, queue: (batch) => receiver.queue(batch) }`. */
export declare function cloudflareQueue(binding: CloudflareQueueLike, options?: QueueAdapterOptions & { delaySeconds?: number }): QueueAdapter;

/** A Deno KV database with its queue (`await Deno.openKv()`). */
export interface DenoKvQueueLike {
  enqueue(value: unknown, options?: any): Promise<unknown>;
}

/** Options of {@link denoKvQueue}. */
export interface DenoKvQueueOptions extends QueueAdapterOptions {
  /** Milliseconds before the first delivery. */
  delay?: number;
  /** Milliseconds between retries. Default `[1000, 5000, 10000, 30000, 60000, 120000]`. */
  backoffSchedule?: number[];
  /** Where an undelivered message is written. Default `[["elenik-webhooks", "undelivered", message.key]]`. */
  keysIfUndelivered?: (message: QueueMessage) => unknown[][];
}

/** The `queue` on Deno KV (`kv.enqueue`); consume with `kv.listenQueue((m) => receiver.consume(m))`. */
export declare function denoKvQueue(kv: DenoKvQueueLike, options?: DenoKvQueueOptions): QueueAdapter;

declare global {
  // `Symbol.dispose` (explicit resource management), declared as lib.esnext.disposable and
  // @types/node do, for projects whose `lib` predates it.
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}
