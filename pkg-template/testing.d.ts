/**
 * elenik-webhooks/testing: signed test deliveries for unit tests of webhook handlers (Vitest,
 * node:test, Jest), without a server.
 */
import type { ElenikEvent, EventOfType, JsonValue, KnownEvent, KnownEventType, Secret } from './index.js';

/** The `data` fields a sample of type `T` may override. */
export type DataOverrides<T extends string> = T extends KnownEventType
  ? Partial<Extract<KnownEvent, { event: T }>['data']> & { [key: string]: JsonValue }
  : { [key: string]: JsonValue };

/**
 * A realistic event of `type` (fresh ids, the current time), with `dataOverrides` merged into
 * its `data`. The same samples as `elenik-webhooks events sample TYPE`.
 */
export declare function sampleEvent<T extends string>(type: T, dataOverrides?: DataOverrides<T>): EventOfType<T>;

/** What to deliver: a sample of `type`, or your own `event`, signed with `secret`. */
export type TestDeliveryOptions = (
  | { type: string; event?: never }
  | { event: ElenikEvent | { event: string; data: { [key: string]: JsonValue }; [key: string]: JsonValue }; type?: never }
) &
  (
    | { secret: Secret; tamper?: boolean; unsigned?: false }
    | { secret?: Secret; unsigned: true; tamper?: false }
  );

/** A delivery as Elenik sends it. */
export interface TestDelivery {
  /** The JSON body, exactly the bytes that were signed (unless `tamper`). */
  body: string;
  /** `content-type` and, unless `unsigned`, `x-elenik-signature`. */
  headers: { [name: string]: string };
}

/** `{ body, headers }`: pass them to `receiver.receive(body, headers)`, or send them with fetch. */
export declare function createTestDelivery(options: TestDeliveryOptions): TestDelivery;

/** The same delivery as a fetch `Request`: pass it to `receiver.fetch(request)`. */
export declare function createTestRequest(options: TestDeliveryOptions & { url?: string }): Request;
