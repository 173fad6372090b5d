import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { type ExtendedError, Server, type Socket } from 'socket.io';
import { type TokenConfig, tokenConfig, verifyToken } from '../../lib/auth';
import { UnauthenticatedError } from '../../lib/errors';
import type { OrderStatusChanged } from '../../lib/events';
import type { Logger } from '../../lib/logger';
import type { OrderAccess } from './order-access';
import type { KafkaState } from './order-events';
import {
  type ClientToServerEvents,
  type HandshakeErrorData,
  type InterServerEvents,
  ORDER_STATUS_EVENT,
  type ServerToClientEvents,
  type SocketData,
  UNAUTHORIZED,
} from './protocol';
import { audienceOf, roomsOf } from './rooms';
import { Subscriptions } from './subscriptions';

export type RelayIo = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
type RelaySocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

export interface RelayServerOptions {
  access: OrderAccess;
  logger: Logger;
  /** Defaults to the process-wide settings of lib/auth. */
  token?: TokenConfig;
  /** Browser origins allowed to connect; none by default. */
  corsOrigins?: string[];
  /** How long a dropped client can come back and get what it missed. */
  recoveryWindowMs?: number;
  /** Order rooms one socket may join. */
  maxSubscriptions?: number;
  /** The Kafka side, as /health reports it. */
  kafkaState?: () => KafkaState;
}

/** Client messages are order ids: nothing near Socket.IO's 1 MB default. */
const MAX_MESSAGE_BYTES = 16 * 1024;

/**
 * The Socket.IO side of the relay, with `GET /health` on the same port.
 *
 *   handshake ─► token ok? ─no─► connect_error "unauthorized"
 *                  │yes
 *   join user:<id> (+ staff) ─► subscribe(orderId) ─► API says 200? ─► join order:<id>
 *
 * `publish` emits one event to the rooms of its customer, its order and
 * the staff; a socket in several of them gets it once.
 *
 * @example
 * const relay = new RelayServer({ access, logger });
 * const port = await relay.listen(0, '127.0.0.1');
 * relay.publish(event);
 * await relay.close();
 */
export class RelayServer {
  readonly io: RelayIo;
  readonly #http: http.Server;
  readonly #subscriptions: Subscriptions;
  readonly #logger: Logger;
  readonly #token: TokenConfig;
  readonly #kafkaState: () => KafkaState;

  constructor(options: RelayServerOptions) {
    this.#logger = options.logger;
    this.#token = options.token ?? tokenConfig();
    this.#subscriptions = new Subscriptions({
      access: options.access,
      logger: options.logger,
      maxSubscriptions: options.maxSubscriptions ?? 50,
    });
    this.#kafkaState = options.kafkaState ?? (() => 'disconnected');

    // Socket.IO takes its own path and hands every other request to this.
    this.#http = http.createServer((request, response) =>
      this.#onRequest(request, response),
    );
    const origins = options.corsOrigins ?? [];
    this.io = new Server(this.#http, {
      serveClient: false,
      maxHttpBufferSize: MAX_MESSAGE_BYTES,
      ...(origins.length > 0 && { cors: { origin: origins } }),
      // Shortcoming (relay, issue 7): sessions and missed packets live in
      // this process (the in-memory adapter), so a client recovers only by
      // coming back to the same instance: sticky sessions on the load
      // balancer. A shared adapter that keeps sessions (Redis streams)
      // would lift that once we run one.
      connectionStateRecovery: {
        maxDisconnectionDuration: options.recoveryWindowMs ?? 120_000,
        // A resumed session shows its token again: one that expired
        // meanwhile does not get the missed events.
        skipMiddlewares: false,
      },
    });
    this.io.use((socket, next) => this.#authenticate(socket, next));
    this.io.on('connection', (socket) => this.#onConnection(socket));
  }

  /** Open connections on this instance. */
  get connections(): number {
    return this.io.of('/').sockets.size;
  }

  /** Resolves with the port listened on (useful with port 0). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(port, host, () => {
        this.#http.off('error', reject);
        resolve((this.#http.address() as AddressInfo).port);
      });
    });
  }

  publish(event: OrderStatusChanged): void {
    this.io.to(audienceOf(event)).emit(ORDER_STATUS_EVENT, event);
    this.#logger.debug('order event relayed', {
      orderId: event.orderId,
      eventId: event.eventId,
      status: event.status,
    });
  }

  /**
   * Disconnects every client (they reconnect on their own, to this
   * instance when it is back or to another one) and closes the port.
   */
  async close(): Promise<void> {
    const connections = this.connections;
    await this.io.close();
    this.#logger.info('relay closed', { connections });
  }

  #authenticate(socket: RelaySocket, next: (error?: ExtendedError) => void) {
    const token: unknown = socket.handshake.auth?.token;
    try {
      if (typeof token !== 'string' || token === '') {
        throw new UnauthenticatedError('Token is missing');
      }
      const user = verifyToken(token, this.#token);
      const previous = socket.recovered ? socket.data.principal : undefined;
      if (
        previous &&
        (previous.userId !== user.userId || previous.role !== user.role)
      ) {
        // A resumed session brings back its rooms; they belong to the
        // previous token, so another user or role starts from none.
        for (const room of socket.rooms)
          if (room !== socket.id) socket.leave(room);
      }
      socket.data.principal = { userId: user.userId, role: user.role };
      socket.data.token = token;
      next();
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) {
        this.#logger.error('handshake check failed', { error: error as Error });
      }
      // The reason stays in our log: the client learns only "unauthorized".
      this.#logger.info('relay handshake refused', {
        reason: (error as Error).message,
        address: socket.handshake.address,
      });
      const refusal: ExtendedError = new Error(UNAUTHORIZED);
      refusal.data = { code: 'UNAUTHENTICATED' } satisfies HandshakeErrorData;
      next(refusal);
    }
  }

  #onConnection(socket: RelaySocket): void {
    const { userId, role } = socket.data.principal;
    socket.join(roomsOf(socket.data.principal));
    const expiry = this.#disconnectAtExpiry(socket);
    this.#logger.info('relay client connected', {
      userId,
      role,
      socketId: socket.id,
      recovered: socket.recovered,
      connections: this.connections,
    });

    // Without an acknowledgement a client could never learn a refusal,
    // so a request without one is ignored.
    socket.on('subscribe', async (orderId, ack) => {
      if (typeof ack === 'function') {
        ack(await this.#subscriptions.subscribe(socket, orderId));
      }
    });
    socket.on('unsubscribe', async (orderId, ack) => {
      if (typeof ack === 'function') {
        ack(await this.#subscriptions.unsubscribe(socket, orderId));
      }
    });
    socket.on('disconnect', (reason) => {
      clearTimeout(expiry);
      this.#logger.info('relay client disconnected', {
        userId,
        role,
        socketId: socket.id,
        reason,
        connections: this.connections,
      });
    });
  }

  /**
   * A socket outlives nothing its token would not: at the token's expiry
   * the server disconnects it, and the client connects again with a new
   * token (Socket.IO does not reconnect on its own after this).
   */
  #disconnectAtExpiry(socket: RelaySocket): NodeJS.Timeout | undefined {
    const claims = jwt.decode(socket.data.token);
    if (typeof claims !== 'object' || typeof claims?.exp !== 'number') {
      return undefined;
    }
    // setTimeout fires at once beyond 2^31-1 ms (about 24 days).
    const delay = Math.min(claims.exp * 1000 - Date.now(), 2 ** 31 - 1);
    return setTimeout(
      () => {
        this.#logger.info('relay token expired', {
          userId: socket.data.principal.userId,
          socketId: socket.id,
        });
        socket.disconnect(true);
      },
      Math.max(0, delay),
    );
  }

  #onRequest(request: http.IncomingMessage, response: http.ServerResponse) {
    const path = request.url?.split('?')[0];
    if (request.method === 'GET' && path === '/health') {
      return send(response, 200, {
        status: 'ok',
        connections: this.connections,
        kafka: this.#kafkaState(),
      });
    }
    send(response, 404, { error: { code: 'NOT_FOUND', message: 'Not found' } });
  }
}

function send(response: http.ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
