import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { ManagerOptions } from 'socket.io-client';
import { io, type Socket, type SocketOptions } from 'socket.io-client';
import { onTestFinished } from 'vitest';
import { isStaff, signToken, verifyToken } from '../../lib/auth';
import { requireEnv } from '../../lib/config';
import {
  ORDER_STATUS_TOPIC,
  type OrderStatusChanged,
  orderStatusChanged,
} from '../../lib/events';
import type { OrderStatus } from '../../lib/orders/status';
import type { Principal } from '../../lib/principal';
import { readRelayConfig } from '../../services/relay/config';
import type { OrderAccess } from '../../services/relay/order-access';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
} from '../../services/relay/protocol';
import { type RunningRelay, startRelay } from '../../services/relay/relay';

export type RelayClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A user no other test or earlier run has used, with a token. */
export function newUser(role: Principal['role'] = 'customer') {
  const principal: Principal = { userId: `it-${randomUUID()}`, role };
  return { ...principal, token: signToken(principal).token };
}

export interface TestRelayOptions {
  /** Defaults to the REST API at `apiUrl`, else one that lets nobody in. */
  access?: OrderAccess;
  apiUrl?: string;
  port?: number;
  recoveryWindowMs?: number;
  logger?: Logger;
  /** More RELAY_* settings, as the environment would give them. */
  env?: Record<string, string>;
}

/**
 * A relay in this process on a free port (or the one given), with a
 * consumer group of its own; closed when the test ends.
 */
export async function startTestRelay(
  options: TestRelayOptions = {},
): Promise<RunningRelay> {
  const config = readRelayConfig({
    ...process.env,
    RELAY_PORT: String(options.port ?? 0),
    RELAY_GROUP_ID: `it-relay-${randomUUID()}`,
    ...(options.apiUrl && { API_URL: options.apiUrl }),
    ...(options.recoveryWindowMs !== undefined && {
      RELAY_RECOVERY_WINDOW_MS: String(options.recoveryWindowMs),
    }),
    ...options.env,
  });
  const relay = await startRelay({
    config,
    logger: options.logger ?? new Logger({ logLevel: 'SILENT' }),
    access:
      options.access ??
      (options.apiUrl ? undefined : { canRead: async () => false }),
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await relay.close();
  };
  onTestFinished(close);
  return { ...relay, close };
}

type ClientOptions = Partial<ManagerOptions & SocketOptions>;

/** Quick reconnects keep the restart tests short. */
const CLIENT_DEFAULTS: ClientOptions = {
  transports: ['websocket'],
  forceNew: true,
  reconnectionDelay: 100,
  reconnectionDelayMax: 500,
  timeout: 5000,
};

/** A connected client; disconnected when the test ends. */
export async function connectClient(
  url: string,
  token: string,
  options: ClientOptions = {},
): Promise<RelayClient> {
  const socket: RelayClient = io(url, {
    ...CLIENT_DEFAULTS,
    auth: { token },
    ...options,
  });
  onTestFinished(() => {
    socket.disconnect();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** The connect_error of a handshake with this `auth`, or a failure. */
export function refusedHandshake(
  url: string,
  auth: Record<string, unknown>,
): Promise<Error & { data?: unknown }> {
  const socket: RelayClient = io(url, {
    ...CLIENT_DEFAULTS,
    auth,
    reconnection: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.disconnect();
      reject(new Error('the handshake was accepted'));
    });
    socket.once('connect_error', (error) => {
      socket.disconnect();
      resolve(error);
    });
  });
}

/** Keeps every `order.status` a client receives. */
export class ReceivedEvents {
  readonly all: OrderStatusChanged[] = [];

  constructor(socket: RelayClient) {
    socket.on('order.status', (event) => {
      this.all.push(event);
    });
  }

  of(orderId: string): OrderStatusChanged[] {
    return this.all.filter((event) => event.orderId === orderId);
  }

  /** The events of an order once there are `count`, or what came in time. */
  async waitFor(
    orderId: string,
    count: number,
    timeoutMs = 15_000,
  ): Promise<OrderStatusChanged[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.of(orderId).length < count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.of(orderId);
  }
}

/** Publishes to the real `order-status` topic, keyed by order id. */
export class OrderEventsWriter {
  #producer: Producer | undefined;

  async start(): Promise<void> {
    const kafka = new Kafka({
      clientId: 'it-relay-writer',
      brokers: requireEnv('KAFKA_BROKERS').split(','),
      logLevel: logLevel.NOTHING,
    });
    this.#producer = kafka.producer({ allowAutoTopicCreation: false });
    await this.#producer.connect();
  }

  /** Builds the event with lib/events and publishes it; returns it. */
  async publish(
    orderId: string,
    userId: string,
    status: OrderStatus,
    previousStatus: OrderStatus | null = null,
  ): Promise<OrderStatusChanged> {
    const event = orderStatusChanged({
      orderId,
      userId,
      status,
      previousStatus,
    });
    await this.publishRaw(orderId, JSON.stringify(event));
    return event;
  }

  async publishRaw(key: string, value: string): Promise<void> {
    await this.#producer?.send({
      topic: ORDER_STATUS_TOPIC,
      messages: [{ key, value }],
    });
  }

  async stop(): Promise<void> {
    await this.#producer?.disconnect();
  }
}

/** An order id no other test or earlier run has used. */
export function newOrderId(): string {
  return `it-order-${randomUUID()}`;
}

/**
 * A tiny real HTTP server answering `GET /orders/{id}` as the REST
 * contract says (docs/design.md): 200 with the order for its owner and
 * for staff, 404 for anyone else, 401 for a bad token. The relay only
 * depends on that contract, so its tests run without the orders function.
 */
export class TestOrdersApi {
  readonly #orders = new Map<string, { userId: string; status: string }>();
  #server: http.Server | undefined;
  url = '';

  static async start(): Promise<TestOrdersApi> {
    const api = new TestOrdersApi();
    api.#server = http.createServer((request, response) =>
      api.#answer(request, response),
    );
    await new Promise<void>((resolve) =>
      api.#server?.listen(0, '127.0.0.1', resolve),
    );
    api.url = `http://127.0.0.1:${(api.#server.address() as AddressInfo).port}`;
    return api;
  }

  /** Records an order as the orders function would hold it. */
  put(orderId: string, userId: string, status: OrderStatus): void {
    this.#orders.set(orderId, { userId, status });
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  #answer(request: http.IncomingMessage, response: http.ServerResponse) {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const match = /^\/orders\/([^/?]+)$/.exec(request.url ?? '');
    if (request.method !== 'GET' || !match?.[1]) {
      return send(404, { error: { code: 'NOT_FOUND' } });
    }
    let caller: Principal;
    try {
      const token = /^Bearer (\S+)$/.exec(
        request.headers.authorization ?? '',
      )?.[1];
      caller = verifyToken(token ?? '');
    } catch {
      return send(401, { error: { code: 'UNAUTHENTICATED' } });
    }
    const id = decodeURIComponent(match[1]);
    const order = this.#orders.get(id);
    if (!order || (order.userId !== caller.userId && !isStaff(caller.role))) {
      return send(404, { error: { code: 'NOT_FOUND' } });
    }
    send(200, { order: { id, ...order } });
  }
}
