import {
  IdempotencyConfig,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { KafkaRecordSchema } from '@aws-lambda-powertools/parser/schemas';
import type { Context, MSKRecord } from 'aws-lambda';
import type { z } from 'zod';
import {
  type OrderStatusChanged,
  orderStatusChangedSchema,
} from '../../lib/events';
import type { Logger } from '../../lib/logger';
import type { CustomerDirectory } from './customers';
import type { FailureReason } from './failures';
import { type Mailer, MailSendError } from './mailer';
import { renderStatusEmail } from './render';

/** What became of one record. */
export type RecordOutcome =
  | { status: 'sent'; event: OrderStatusChanged; messageId: string }
  /** Emailed before (a redelivery): nothing sent this time. */
  | { status: 'duplicate'; event: OrderStatusChanged }
  | {
      status: 'set-aside';
      reason: FailureReason;
      detail: string;
      event?: OrderStatusChanged;
    };

export interface NotifierDeps {
  customers: CustomerDirectory;
  mailer: Mailer;
  persistenceStore: BasePersistenceLayer;
  logger: Logger;
}

/** A record Lambda delivered, its key and value still base64. */
export type DeliveredRecord = Pick<
  MSKRecord,
  'topic' | 'partition' | 'offset' | 'timestamp' | 'timestampType' | 'value'
> &
  Partial<Pick<MSKRecord, 'key' | 'headers'>>;

class CustomerNotFoundError extends Error {
  override name = 'CustomerNotFoundError';
}

// Redeliveries within the topic's retention (7 days,
// resources/kafka-topics.yml) are still recognised as duplicates.
const DEDUPE_SECONDS = 7 * 24 * 3600;

/**
 * Turns order events into emails, at most once per event id.
 *
 * The idempotency record (DynamoDB, keyed `notify#<hash of eventId>`) is
 * written IN_PROGRESS before the send and COMPLETED after it; when the
 * send throws, Powertools deletes it, so a failed event can be sent later
 * by a redelivery or a replay.
 *
 *   new event ──► IN_PROGRESS ──send ok──► COMPLETED ──► later copies: duplicate
 *                      │ send failed
 *                      └──► deleted ──► the event may be sent again
 */
export class Notifier {
  readonly #config = new IdempotencyConfig({
    eventKeyJmesPath: 'eventId',
    expiresAfterSeconds: DEDUPE_SECONDS,
  });
  readonly #sendOnce: (
    event: OrderStatusChanged,
    trace: { sent: boolean },
  ) => Promise<{ messageId: string }>;

  constructor(private readonly deps: NotifierDeps) {
    this.#sendOnce = makeIdempotent(
      async (event: OrderStatusChanged, trace: { sent: boolean }) => {
        const result = await this.#send(event);
        trace.sent = true;
        return result;
      },
      {
        persistenceStore: deps.persistenceStore,
        config: this.#config,
        // The same key for the Lambda, local runs and the replay command.
        keyPrefix: 'notify',
      },
    );
  }

  /**
   * Lets an IN_PROGRESS record left by a crashed invocation expire with
   * that invocation's deadline instead of after DEDUPE_SECONDS.
   */
  registerContext(context: Pick<Context, 'getRemainingTimeInMillis'>): void {
    this.#config.registerLambdaContext(context as Context);
  }

  /**
   * Decodes, checks and emails one record. Bad records and failed sends
   * come back as 'set-aside'; only infrastructure failures (the
   * idempotency table, an event already in progress elsewhere) throw.
   */
  async process(record: DeliveredRecord): Promise<RecordOutcome> {
    const decoded = decode(record);
    if (!decoded.ok) return { status: 'set-aside', ...decoded };
    const event = decoded.event;

    const trace = { sent: false };
    try {
      const { messageId } = await this.#sendOnce(event, trace);
      return trace.sent
        ? { status: 'sent', event, messageId }
        : { status: 'duplicate', event };
    } catch (error) {
      if (error instanceof CustomerNotFoundError) {
        return {
          status: 'set-aside',
          reason: 'CUSTOMER_NOT_FOUND',
          detail: 'no user with an email for userId',
          event,
        };
      }
      if (error instanceof MailSendError) {
        return {
          status: 'set-aside',
          reason: 'SEND_FAILED',
          detail: `${error.code} after ${error.attempts} attempt(s)${error.permanent ? ', permanent' : ''}`,
          event,
        };
      }
      throw error;
    }
  }

  async #send(event: OrderStatusChanged): Promise<{ messageId: string }> {
    const contact = await this.deps.customers.findContact(event.userId);
    if (!contact) throw new CustomerNotFoundError(event.userId);
    const email = renderStatusEmail(event, contact);
    return this.deps.mailer.send({ ...email, to: contact.email });
  }
}

type Decoded =
  | { ok: true; event: OrderStatusChanged }
  | { ok: false; reason: FailureReason; detail: string };

/** base64 → UTF-8 → JSON → `order.status_changed` v1, or why not. */
export function decode(record: DeliveredRecord): Decoded {
  const parsed = KafkaRecordSchema.safeParse({
    key: undefined,
    headers: [],
    ...record,
  });
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'INVALID_EVENT',
      detail: `not a Kafka record: ${issuePaths(parsed.error)}`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(parsed.data.value);
  } catch {
    return { ok: false, reason: 'NOT_JSON', detail: 'value is not JSON' };
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (type !== 'order.status_changed') {
    return {
      ok: false,
      reason: 'UNKNOWN_TYPE',
      detail:
        typeof type === 'string'
          ? `type ${JSON.stringify(type.slice(0, 64))} is not handled`
          : 'no type',
    };
  }
  const event = orderStatusChangedSchema.safeParse(json);
  if (!event.success) {
    return {
      ok: false,
      reason: 'INVALID_EVENT',
      detail: `invalid fields: ${issuePaths(event.error)}`,
    };
  }
  return { ok: true, event: event.data };
}

/** Field paths and issue codes only: the values may be personal data. */
function issuePaths(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join('.') || '(root)'} ${issue.code}`)
    .join(', ');
}
