// POST /api/webhooks/edge: the Edge runtime (Vercel Edge Functions), where the Wasm cannot be
// compiled from bytes at run time; the package's `edge-light` export imports it precompiled.
import { receiver } from '../../../../lib/receiver.js';

export const runtime = 'edge';
export const POST = receiver.fetch;
