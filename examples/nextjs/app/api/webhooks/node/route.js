// POST /api/webhooks/node: the Node.js runtime (Next.js's default for route handlers).
import { receiver } from '../../../../lib/receiver.js';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const POST = receiver.fetch;
