import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { signToken, tokenConfig } from '../../../lib/auth';
import {
  connectClient,
  newUser,
  refusedHandshake,
  startTestRelay,
} from '../../helpers/relay';

const user = { userId: 'it-handshake-user', role: 'customer' as const };
const config = () => tokenConfig();
const base64url = (value: object) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** Every kind of token the handshake must refuse, as `auth` payloads. */
const BAD_AUTH: [string, () => Record<string, unknown>][] = [
  ['no auth at all', () => ({})],
  ['an empty token', () => ({ token: '' })],
  ['a token that is not a string', () => ({ token: { sub: user.userId } })],
  ['garbage', () => ({ token: 'not-a-jwt' })],
  [
    'a wrong signature',
    () => ({
      token: signToken(user, {
        ...config(),
        secret: 'another-secret-of-sufficient-length-0123',
      }).token,
    }),
  ],
  [
    'an expired token',
    () => ({ token: signToken(user, { ...config(), ttlSeconds: -60 }).token }),
  ],
  [
    'alg none',
    () => ({
      token: `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
        sub: user.userId,
        role: 'admin',
        iss: config().issuer,
        aud: config().audience,
        exp: Math.floor(Date.now() / 1000) + 600,
      })}.`,
    }),
  ],
  [
    'a wrong audience',
    () => ({
      token: signToken(user, { ...config(), audience: 'another-api' }).token,
    }),
  ],
  [
    'a wrong issuer',
    () => ({
      token: signToken(user, { ...config(), issuer: 'someone-else' }).token,
    }),
  ],
  [
    'an unknown role',
    () => ({
      token: jwt.sign({ role: 'root' }, config().secret, {
        algorithm: 'HS256',
        subject: user.userId,
        issuer: config().issuer,
        audience: config().audience,
        expiresIn: 600,
      }),
    }),
  ],
];

describe('relay handshake', () => {
  it.each(BAD_AUTH)(
    'refuses %s with connect_error "unauthorized"',
    async (_case, auth) => {
      // Prepare
      const relay = await startTestRelay();

      // Act
      const error = await refusedHandshake(relay.url, auth());

      // Assess
      expect(error.message).toBe('unauthorized');
      expect(error.data).toEqual({ code: 'UNAUTHENTICATED' });
      expect(relay.server.connections).toBe(0);
    },
  );

  it('accepts a valid token', async () => {
    // Prepare
    const relay = await startTestRelay();
    const alice = newUser();

    // Act
    const socket = await connectClient(relay.url, alice.token);

    // Assess
    expect(socket.connected).toBe(true);
    expect(relay.server.connections).toBe(1);
  });

  it('disconnects a client when its token expires', async () => {
    // Prepare
    const relay = await startTestRelay();
    const { token } = signToken(user, { ...config(), ttlSeconds: 2 });
    const socket = await connectClient(relay.url, token);

    // Act
    const reason = await new Promise<string>((resolve) =>
      socket.once('disconnect', resolve),
    );

    // Assess
    expect(reason).toBe('io server disconnect');
    expect(relay.server.connections).toBe(0);
  });
});
