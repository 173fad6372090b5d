import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { orderReference } from '../functions/notify/render';
import type { OrderStatusChanged } from '../lib/events';
import { createKafka } from '../lib/kafka';
import type { OrderStatus } from '../lib/orders/status';
import { ORDER_STATUS_EVENT } from '../services/relay/protocol';
import { type Api, until } from './api';
import { type Figures, latency } from './stats';

const MOVES = ['PREPARING', 'READY', 'DELIVERED'] as const;
const SUBJECT_STATUS: Record<(typeof MOVES)[number], string> = {
  PREPARING: 'being prepared',
  READY: 'ready',
  DELIVERED: 'delivered',
};
const TIMEOUT_MS = 20_000;
// Validation queues behind any backlog (one SQS message per batch locally).
const CONFIRM_TIMEOUT_MS = 90_000;

export interface EventTargets {
  api: Api;
  relayUrl: string;
  mailUrl: string;
  staffToken: string;
  sku: string;
}

/**
 * Arrival times (performance.now) of what the customer sees: `order.status`
 * on their socket, and mails in the MailDev inbox. MailDev pushes each new
 * mail over its own Socket.IO feed, so no polling delay blurs the figure.
 */
class Arrivals {
  readonly seen = new Map<string, number>();
  #sockets: { close(): void }[] = [];

  async open(
    options: EventTargets,
    customer: { email: string; token: string },
  ) {
    const relay = io(options.relayUrl, {
      auth: { token: customer.token },
      transports: ['websocket'],
    });
    relay.on(ORDER_STATUS_EVENT, (event: OrderStatusChanged) =>
      this.seen.set(
        `socket ${event.orderId} ${event.status}`,
        performance.now(),
      ),
    );
    const mail = io(options.mailUrl, { transports: ['websocket'] });
    mail.on(
      'newMail',
      (email: { subject: string; to: { address: string }[] }) => {
        if (email.to.some((to) => to.address === customer.email)) {
          this.seen.set(`mail ${email.subject}`, performance.now());
        }
      },
    );
    this.#sockets.push(relay, mail);
    await Promise.all(
      [relay, mail].map(
        (socket) =>
          new Promise((resolve, reject) => {
            socket.once('connect', () => resolve(undefined));
            socket.once('connect_error', reject);
          }),
      ),
    );
  }

  /** Waits for a key, answering its arrival time. */
  async at(key: string): Promise<number> {
    await until(async () => this.seen.has(key), TIMEOUT_MS, 2, key);
    return this.seen.get(key) as number;
  }

  close(): void {
    for (const socket of this.#sockets) socket.close();
  }
}

/**
 * One run: a customer places `orders` orders; once each is CONFIRMED, staff
 * move it PREPARING → READY → DELIVERED, one PATCH at a time, each timed
 * from just before the PATCH until its event reaches the customer's socket
 * and until its email lands in the inbox.
 */
export async function statusToCustomer(
  targets: EventTargets,
  orders: number,
): Promise<{ socket: Figures; mail: Figures }> {
  const { api } = targets;
  const customer = await api.newCustomer();
  const arrivals = new Arrivals();
  await arrivals.open(targets, customer);
  const socket: number[] = [];
  const mail: number[] = [];
  try {
    for (let i = 0; i < orders; i++) {
      const order = await api.placeOrder(customer.token, {
        items: [{ sku: targets.sku, quantity: 1 }],
      });
      await waitForStatus(api, customer.token, order.id, 'CONFIRMED');
      const reference = orderReference(order.id);
      for (const status of MOVES) {
        const started = performance.now();
        await api.call('PATCH', `/orders/${order.id}/status`, {
          token: targets.staffToken,
          body: { status },
        });
        const subject = `Order ${reference}: ${SUBJECT_STATUS[status]}`;
        socket.push(
          (await arrivals.at(`socket ${order.id} ${status}`)) - started,
        );
        mail.push((await arrivals.at(`mail ${subject}`)) - started);
      }
    }
  } finally {
    arrivals.close();
  }
  return { socket: latency(socket), mail: latency(mail) };
}

async function waitForStatus(
  api: Api,
  token: string,
  id: string,
  status: OrderStatus,
): Promise<void> {
  await until(
    async () => (await api.getOrder(token, id)).status === status,
    CONFIRM_TIMEOUT_MS,
    250,
    `order ${id} ${status}`,
  );
}

/**
 * The floor: kafkajs produce then consume of one small message on the same
 * broker, one at a time, as the outbox publisher and the relay do it.
 */
export async function kafkaRoundTrip(messages: number): Promise<Figures> {
  const kafka = createKafka('pharmaexpress-bench');
  const topic = 'bench-roundtrip';
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  await admin.disconnect();

  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}` });
  await Promise.all([producer.connect(), consumer.connect()]);
  const joined = new Promise((resolve) =>
    consumer.on(consumer.events.GROUP_JOIN, resolve),
  );
  // From the beginning: a fresh group at "latest" may resolve its offset
  // after the first send and miss it. Older messages are simply skipped.
  await consumer.subscribe({ topic, fromBeginning: true });
  const arrived = new Map<string, number>();
  await consumer.run({
    eachMessage: async ({ message }) => {
      arrived.set(String(message.value), performance.now());
    },
  });
  await joined;

  const samples: number[] = [];
  const roundTrip = async () => {
    const id = randomUUID();
    const started = performance.now();
    await producer.send({ topic, messages: [{ key: id, value: id }] });
    await until(async () => arrived.has(id), TIMEOUT_MS, 1);
    return (arrived.get(id) as number) - started;
  };
  try {
    await roundTrip(); // untimed: the consumer has caught up once it is back
    for (let i = 0; i < messages; i++) samples.push(await roundTrip());
  } finally {
    await Promise.all([producer.disconnect(), consumer.disconnect()]);
  }
  return latency(samples);
}
