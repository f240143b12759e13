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

/** The event types Elenik documents. Others still parse, as {@link UnknownEvent}. */
export declare const EVENT_TYPES: readonly ['task_complete', 'payment_verified', 'user_signup', 'subscription_paid'];

/** A documented event type. */
export type KnownEventType = (typeof EVENT_TYPES)[number];

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

/** `task_complete`: an automated workflow finished. */
export interface TaskCompleteEvent {
  event: 'task_complete';
  data: {
    task_id: string;
    status: string;
    /** Unix time in whole seconds. */
    created_at: number;
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
  };
  [key: string]: JsonValue;
}

/** `user_signup`: a new user created an account. */
export interface UserSignupEvent {
  event: 'user_signup';
  data: {
    user_id: string;
  };
  [key: string]: JsonValue;
}

/** `subscription_paid`: a subscription was paid. Elenik documents no fields for its data. */
export interface SubscriptionPaidEvent {
  event: 'subscription_paid';
  data: { [key: string]: JsonValue };
  [key: string]: JsonValue;
}

/**
 * An event of a documented type. `data` lists the documented fields only: others Elenik adds are
 * there at run time but untyped, so reading another type's field (or a typo) does not compile.
 */
export type KnownEvent = TaskCompleteEvent | PaymentVerifiedEvent | UserSignupEvent | SubscriptionPaidEvent;

/**
 * The `event` of an {@link UnknownEvent}: a string at run time, typed as a branded `String` on
 * purpose. TypeScript has no "any string except these" (microsoft/TypeScript#26277): any type
 * containing `string`, branded or not, keeps `event.event === 'task_complete'` from narrowing to
 * {@link TaskCompleteEvent}. Its string methods all work; `event.event.valueOf()` (or `String()`)
 * gives a plain `string`, e.g. to compare with a type this version does not list.
 */
export type UnknownEventType = String & { readonly __unknownEventType: true };

/** An event of a type this version does not know (accepted, not an error). */
export interface UnknownEvent {
  event: UnknownEventType;
  data: { [key: string]: JsonValue };
  [key: string]: JsonValue | UnknownEventType;
}

/** A parsed event: exactly `JSON.parse(body)`, validated. Narrow it on `event`. */
export type ElenikEvent = KnownEvent | UnknownEvent;

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
export declare function verify(payload: Payload, header: SignatureInput, secret: Secrets): boolean;

/** Verifies the signature, then parses and validates the event. Throws {@link WebhookVerificationError}. */
export declare function constructEvent(payload: Payload, header: SignatureInput, secret: Secrets): ElenikEvent;

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
  constructor(secrets: Secrets);
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
  secretOrVerifier: Secrets | Verifier,
  options?: VerifyRequestOptions,
): Promise<ElenikEvent>;

declare global {
  // `Symbol.dispose` (explicit resource management), declared as lib.esnext.disposable and
  // @types/node do, for projects whose `lib` predates it.
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}
