import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { smtpMailer } from '../../../functions/notify/mailer';
import { requireEnv } from '../../../lib/config';
import { waitForMail } from '../../helpers/mail';
import { quietLogger } from './support';

/**
 * A TCP relay in front of the local SMTP server that counts the
 * connections opened through it and can cut them all, as a server restart
 * or a Lambda frozen past the server's idle timeout would.
 */
async function smtpRelay(target: URL) {
  const open = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const cutAll = () => {
    for (const socket of open) socket.destroy();
  };
  return {
    url: `smtp://127.0.0.1:${port}`,
    connections: () => connections,
    cutAll,
    close: () => {
      cutAll();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The notify mailer, sending to the local SMTP server through a relay. */
async function mailerThroughRelay() {
  const relay = await smtpRelay(new URL(requireEnv('SMTP_URL')));
  const mailer = smtpMailer({
    url: relay.url,
    from: 'orders@pharmaexpress.test',
    attempts: 3,
    retryDelayMs: 50,
    logger: quietLogger(),
  });
  cleanups.push(() => mailer.close(), relay.close);
  return { relay, mailer };
}

function email(to: string, subject: string) {
  return { to, subject, text: subject, html: `<p>${subject}</p>` };
}

describe('smtpMailer', () => {
  it('sends consecutive emails over one connection', async () => {
    const { relay, mailer } = await mailerThroughRelay();
    const to = `pool-${randomUUID()}@example.org`;

    for (let i = 1; i <= 3; i++) await mailer.send(email(to, `pooled ${i}`));

    expect(
      await waitForMail((m) => m.to[0]?.address === to, { count: 3 }),
    ).toHaveLength(3);
    expect(relay.connections()).toBe(1);
  });

  it('replaces a kept connection the server dropped, and the email still goes out', async () => {
    const { relay, mailer } = await mailerThroughRelay();
    const to = `dropped-${randomUUID()}@example.org`;
    await mailer.send(email(to, 'before the cut'));

    relay.cutAll();
    await mailer.send(email(to, 'after the cut'));

    const subjects = (
      await waitForMail((m) => m.to[0]?.address === to, { count: 2 })
    ).map((m) => m.subject);
    expect(subjects.sort()).toEqual(['after the cut', 'before the cut']);
    expect(relay.connections()).toBe(2);
  });
});
