// POST /api/webhooks/node: the Node.js runtime (Next.js's default for route handlers).
import { receive } from '../../../../lib/receive.js';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';
export const POST = receive;
