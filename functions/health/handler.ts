import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { json } from '../../lib/http';

/** Liveness of the HTTP API: answers without touching any dependency. */
export async function handler(): Promise<APIGatewayProxyStructuredResultV2> {
  return json(200, {
    status: 'ok',
    service: 'pharmaexpress',
    stage: process.env.STAGE ?? 'dev',
  });
}
