import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { OrderStatusChanged } from '../lib/events';
import type { Order } from '../lib/orders/order';
import type { OrderStatus } from '../lib/orders/status';
import {
  type ClientToServerEvents,
  ORDER_STATUS_EVENT,
  type ServerToClientEvents,
} from '../services/relay/protocol';

export interface WalkOptions {
  apiUrl: string;
  relayUrl: string;
  mailApiUrl: string;
  staff: { email: string; password: string };
  /** Called at each step with what happened and the time since the start. */
  say?: (step: string, elapsedMs: number) => void;
  /** How long to wait for each asynchronous outcome. */
  timeoutMs?: number;
}

/** What the walk saw: every outcome the end-to-end test checks. */
export interface WalkResult {
  customerEmail: string;
  rejected: Order;
  delivered: Order;
  /** `order.status` events the customer's socket received, in order. */
  socketEvents: OrderStatusChanged[];
  /** Subjects of the emails sent to the customer. */
  emailSubjects: string[];
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The real flow of PharmaExpress, as a customer and a pharmacist live it,
 * against a running system (REST API, relay, mail inbox):
 * 1. a customer registers and logs in, and opens a live connection;
 * 2. searches the catalogue for three medicines, one on prescription;
 * 3. orders all three without a prescription: the pharmacy rejects it;
 * 4. orders again with a prescription reference: confirmed and priced;
 * 5. a pharmacist moves it to PREPARING, READY, DELIVERED;
 * 6. every change reached the customer's socket and inbox.
 */
export async function walk(options: WalkOptions): Promise<WalkResult> {
  const started = Date.now();
  const say = (step: string) => options.say?.(step, Date.now() - started);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const api = new ApiClient(options.apiUrl);

  const customerEmail = `demo-${randomUUID().slice(0, 8)}@example.org`;
  const password = `demo-${randomUUID()}`;
  await api.register({
    email: customerEmail,
    password,
    name: 'Camille Demo',
    locale: 'en',
  });
  const customer = await api.login(customerEmail, password);
  say(`customer ${customerEmail} registered and logged in`);

  const socketEvents: OrderStatusChanged[] = [];
  const socket = await connect(options.relayUrl, customer);
  socket.on(ORDER_STATUS_EVENT, (event) => {
    socketEvents.push(event);
    say(`  live: order ${event.orderId.slice(0, 8)} is ${event.status}`);
  });
  say('live connection to the relay open');

  try {
    const skus = await pickMedicines(api);
    say(
      `catalogue: picked ${skus.otc.join(', ')} and ${skus.rx} (prescription only)`,
    );
    const items = [
      { sku: skus.otc[0], quantity: 2 },
      { sku: skus.otc[1], quantity: 1 },
      { sku: skus.rx, quantity: 1 },
    ];

    const first = await api.placeOrder(customer, { items });
    say(`order ${first.id.slice(0, 8)} placed without a prescription`);
    const rejected = await api.waitForStatus(
      customer,
      first.id,
      ['REJECTED', 'CONFIRMED'],
      timeoutMs,
    );
    say(
      `order ${first.id.slice(0, 8)} ${rejected.status}: ${rejected.rejectionReason ?? ''}`,
    );

    const second = await api.placeOrder(customer, {
      items,
      prescriptionRef: 'RX-DEMO-0001',
    });
    say(`order ${second.id.slice(0, 8)} placed with prescription RX-DEMO-0001`);
    const confirmed = await api.waitForStatus(
      customer,
      second.id,
      ['CONFIRMED', 'REJECTED'],
      timeoutMs,
    );
    say(
      `order ${second.id.slice(0, 8)} ${confirmed.status}, total ${money(confirmed.total)}`,
    );

    const staff = await api.login(options.staff.email, options.staff.password);
    let delivered = confirmed;
    for (const status of ['PREPARING', 'READY', 'DELIVERED'] as const) {
      delivered = await api.moveOrder(staff, second.id, status);
      say(`pharmacist moved order ${second.id.slice(0, 8)} to ${status}`);
    }

    const expectedEvents = 7; // 2 for the rejected order, 5 for the delivered one
    await until(() => socketEvents.length >= expectedEvents, timeoutMs);
    const emailSubjects = await waitForMail(
      options.mailApiUrl,
      customerEmail,
      expectedEvents,
      timeoutMs,
    );
    for (const subject of emailSubjects) say(`  email: ${subject}`);
    say(`${emailSubjects.length} emails in the inbox of ${customerEmail}`);

    return { customerEmail, rejected, delivered, socketEvents, emailSubjects };
  } finally {
    socket.close();
  }
}

/** bcrypt makes auth the slowest call: a timeout there is worth a retry. */
async function retryOnTimeout<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= 3 || !String(error).includes('Timeout')) throw error;
    }
  }
}

interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

class ApiClient {
  constructor(private readonly baseUrl: string) {}

  async call<T>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<T> {
    // A read is safe to repeat: a cold function on a busy machine may time
    // out once.
    if (method === 'GET')
      return retryOnTimeout(() => this.#send<T>(method, path, options));
    return this.#send<T>(method, path, options);
  }

  async #send<T>(
    method: string,
    path: string,
    options: CallOptions,
  ): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined && {
          'content-type': 'application/json',
        }),
        ...(options.token && { authorization: `Bearer ${options.token}` }),
        ...options.headers,
      },
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(35_000),
    });
    const body = (await response.json()) as {
      error?: { code: string; message: string };
      errorType?: string;
      errorMessage?: string;
    };
    // serverless-offline answers a function that timed out or crashed with
    // 200 and `{errorType, errorMessage}`: a failure all the same.
    if (!response.ok || body.error || body.errorType) {
      const reason = body.error
        ? `${body.error.code}: ${body.error.message}`
        : `${body.errorType ?? ''} ${body.errorMessage ?? ''}`;
      throw new Error(
        `${method} ${path} answered ${response.status} ${reason}`,
      );
    }
    return body as T;
  }

  /**
   * Registers; a registration that timed out on a busy machine is tried
   * again, and EMAIL_TAKEN then means the first try went through.
   */
  async register(account: Record<string, string>): Promise<void> {
    await retryOnTimeout(async () => {
      try {
        await this.call('POST', '/auth/register', { body: account });
      } catch (error) {
        if (!String(error).includes('EMAIL_TAKEN')) throw error;
      }
    });
  }

  /** Logs in, trying again when the function timed out on a busy machine. */
  login(email: string, password: string): Promise<string> {
    return retryOnTimeout(async () => {
      const { token } = await this.call<{ token: string }>(
        'POST',
        '/auth/login',
        { body: { email, password } },
      );
      return token;
    });
  }

  /**
   * Places an order under one Idempotency-Key, so a retry after a timeout
   * (or while the first try is still running) can never place a second.
   */
  async placeOrder(token: string, body: unknown): Promise<Order> {
    const key = randomUUID();
    for (let tries = 1; ; tries++) {
      try {
        const { order } = await this.call<{ order: Order }>('POST', '/orders', {
          token,
          body,
          headers: { 'idempotency-key': key },
        });
        return order;
      } catch (error) {
        const retryable = /Timeout|in progress/.test(String(error));
        if (tries >= 5 || !retryable) throw error;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  async moveOrder(
    token: string,
    id: string,
    status: OrderStatus,
  ): Promise<Order> {
    const { order } = await this.call<{ order: Order }>(
      'PATCH',
      `/orders/${id}/status`,
      {
        token,
        body: { status },
      },
    );
    return order;
  }

  async waitForStatus(
    token: string,
    id: string,
    statuses: OrderStatus[],
    timeoutMs: number,
  ): Promise<Order> {
    let order: Order | undefined;
    await until(async () => {
      ({ order } = await this.call<{ order: Order }>('GET', `/orders/${id}`, {
        token,
      }));
      return statuses.includes(order.status);
    }, timeoutMs);
    return order as Order;
  }
}

interface CatalogueItem {
  sku: string;
  prescriptionRequired: boolean;
  available: number;
}

async function pickMedicines(
  api: ApiClient,
): Promise<{ otc: [string, string]; rx: string }> {
  const search = async (term: string) =>
    (
      await api.call<{ items: CatalogueItem[] }>(
        'GET',
        `/medicines?search=${encodeURIComponent(term)}&limit=20`,
      )
    ).items;
  const inStock = (item: CatalogueItem) => item.available >= 5;
  const otc = [
    ...(await search('paracetamol')),
    ...(await search('ibuprofen')),
  ].filter((item) => !item.prescriptionRequired && inStock(item));
  const rx = (await search('amoxicillin')).find(
    (item) => item.prescriptionRequired && inStock(item),
  );
  if (otc.length < 2 || !rx) {
    throw new Error(
      'the catalogue lacks the demo medicines in stock; run npm run pharma:seed',
    );
  }
  return { otc: [otc[0]?.sku as string, otc[1]?.sku as string], rx: rx.sku };
}

function connect(url: string, token: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket: Client = io(url, {
      auth: { token },
      transports: ['websocket'],
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(new Error(`relay refused the connection: ${error.message}`));
    });
  });
}

async function waitForMail(
  mailApiUrl: string,
  to: string,
  count: number,
  timeoutMs: number,
): Promise<string[]> {
  let subjects: string[] = [];
  await until(async () => {
    const mails = (await (await fetch(`${mailApiUrl}/email`)).json()) as {
      subject: string;
      to: { address: string }[];
      date: string;
    }[];
    subjects = mails
      .filter((mail) => mail.to.some((address) => address.address === to))
      .sort((a, b) => Date.parse(a.date) - Date.parse(b.date))
      .map((mail) => mail.subject);
    return subjects.length >= count;
  }, timeoutMs);
  return subjects;
}

async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function money(cents: number | null): string {
  return cents === null ? '-' : `€${(cents / 100).toFixed(2)}`;
}
