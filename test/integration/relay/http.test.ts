import { describe, expect, it } from 'vitest';
import { connectClient, newUser, startTestRelay } from '../../helpers/relay';

/** The first request of a polling handshake, from a browser at `origin`. */
function handshakeFrom(url: string, origin: string) {
  return fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
    headers: { origin },
  });
}

describe('relay HTTP', () => {
  it('answers GET /health with the connection count and the Kafka state', async () => {
    // Prepare
    const relay = await startTestRelay();
    await connectClient(relay.url, newUser().token);
    await connectClient(relay.url, newUser('pharmacist').token);

    // Act
    const response = await fetch(`${relay.url}/health`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      connections: 2,
      kafka: 'connected',
    });
  });

  it('answers 404 to any other path', async () => {
    // Prepare
    const relay = await startTestRelay();

    // Act
    const response = await fetch(`${relay.url}/orders`);

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: { code: 'NOT_FOUND' },
    });
  });

  it.each([
    [
      'names a listed browser origin in its CORS answer',
      'https://shop.example.com',
      'https://shop.example.com',
    ],
    [
      'names no origin in its CORS answer to an unlisted one',
      'https://evil.example.com',
      null,
    ],
  ])('%s', async (_name, origin, allowed) => {
    // Prepare
    const relay = await startTestRelay({
      env: {
        RELAY_CORS_ORIGINS: 'https://shop.example.com,http://localhost:5173',
      },
    });

    // Act
    const response = await handshakeFrom(relay.url, origin);

    // Assess
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
  });

  it('sends no CORS headers when no origin is configured', async () => {
    // Prepare
    const relay = await startTestRelay({ env: { RELAY_CORS_ORIGINS: '' } });

    // Act
    const response = await handshakeFrom(relay.url, 'https://shop.example.com');

    // Assess
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
