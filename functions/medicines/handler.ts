import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { z } from 'zod';
import { errorResponse, json, validate } from '../../lib/http';
import { createLogger } from '../../lib/logger';
import { PharmaClient, toAppError } from '../../lib/pharma-client';
import { LIMITS, type Medicine } from '../../lib/pharma-contract';

const logger = createLogger('medicines');

const querySchema = z.object({
  search: z.string().trim().max(LIMITS.maxSearchLength).default(''),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(LIMITS.maxPageSize)
    .default(LIMITS.defaultPageSize),
  cursor: z.string().max(200).default(''),
});

// One channel per container, reused across invocations (PHARMA_GRPC_URL).
let pharma: PharmaClient | undefined;

/** GET /medicines?search=&limit=&cursor=: a catalogue page, asked of pharma. */
export async function handler(
  event: Pick<APIGatewayProxyEventV2, 'queryStringParameters'>,
): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    const query = validate(querySchema, event.queryStringParameters ?? {});

    pharma ??= new PharmaClient({ logger });
    const page = await pharma
      .listMedicines({
        search: query.search,
        pageSize: query.limit,
        pageToken: query.cursor,
      })
      .catch((error: unknown) => {
        throw toAppError(error);
      });

    return json(200, {
      items: page.medicines.map(toItem),
      nextCursor: page.nextPageToken || null,
    });
  } catch (error) {
    return errorResponse(error, logger);
  }
}

function toItem(medicine: Medicine) {
  return {
    sku: medicine.sku,
    name: medicine.name,
    form: medicine.form,
    strength: medicine.strength,
    price: medicine.priceCents,
    prescriptionRequired: medicine.prescriptionRequired,
    available: medicine.available,
  };
}
