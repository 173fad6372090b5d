import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { requireEnv } from '../../../lib/config';
import { connectClient, newUser } from '../../helpers/relay';

const ROOT = path.resolve(__dirname, '../../..');

/** "Empty" once every member left; "Stable" while one is still in. */
async function groupState(groupId: string): Promise<string | undefined> {
  const admin = new Kafka({
    clientId: 'it-relay-main',
    brokers: requireEnv('KAFKA_BROKERS').split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0]?.state;
  } finally {
    await admin.disconnect();
  }
}

interface LogLine {
  level: string;
  message: string;
  [key: string]: unknown;
}

/** `npm run relay` as a child process, its JSON log lines collected. */
class RelayProcess {
  readonly lines: LogLine[] = [];
  readonly raw: string[] = [];
  readonly exited: Promise<number | null>;
  readonly groupId = `it-relay-main-${randomUUID()}`;
  readonly #child: ChildProcess;

  constructor() {
    this.#child = spawn(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['services/relay/main.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          RELAY_PORT: '0',
          RELAY_GROUP_ID: this.groupId,
          LOG_LEVEL: 'INFO',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let pending = '';
    this.#child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) this.#keep(line);
    });
    this.#child.stderr?.on('data', (chunk: Buffer) =>
      this.raw.push(chunk.toString()),
    );
    this.exited = new Promise((resolve) =>
      this.#child.once('exit', (code) => resolve(code)),
    );
    onTestFinished(() => {
      if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
    });
  }

  signal(name: NodeJS.Signals): void {
    this.#child.kill(name);
  }

  async waitFor(message: string, timeoutMs = 30_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.find((entry) => entry.message === message);
      if (line) return line;
      if (Date.now() > deadline || this.#child.exitCode !== null) {
        throw new Error(`no "${message}" log; stderr: ${this.raw.join('')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  #keep(line: string): void {
    this.raw.push(line);
    try {
      this.lines.push(JSON.parse(line) as LogLine);
    } catch {
      // Not ours: only JSON lines are log entries.
    }
  }
}

describe('npm run relay', () => {
  it('logs each connection and disconnection with the count, never the token', async () => {
    // Prepare
    const relay = new RelayProcess();
    const { port } = await relay.waitFor('relay listening');
    const url = `http://127.0.0.1:${port}`;
    const alice = newUser();
    const pharmacist = newUser('pharmacist');

    // Act
    await connectClient(url, alice.token);
    const staffSocket = await connectClient(url, pharmacist.token);
    staffSocket.disconnect();
    await relay.waitFor('relay client disconnected');

    // Assess
    const counts = relay.lines
      .filter((line) => line.message.startsWith('relay client '))
      .map(({ message, userId, role, connections }) => ({
        message,
        userId,
        role,
        connections,
      }));
    expect(counts).toEqual([
      {
        message: 'relay client connected',
        userId: alice.userId,
        role: 'customer',
        connections: 1,
      },
      {
        message: 'relay client connected',
        userId: pharmacist.userId,
        role: 'pharmacist',
        connections: 2,
      },
      {
        message: 'relay client disconnected',
        userId: pharmacist.userId,
        role: 'pharmacist',
        connections: 1,
      },
    ]);
    const output = relay.raw.join('\n');
    expect(output).not.toContain(alice.token);
    expect(output).not.toContain(pharmacist.token);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s disconnects its clients, leaves Kafka and exits 0',
    async (signal) => {
      // Prepare
      const relay = new RelayProcess();
      const { port } = await relay.waitFor('relay listening');
      const socket = await connectClient(
        `http://127.0.0.1:${port}`,
        newUser().token,
      );
      const disconnected = new Promise((resolve) =>
        socket.once('disconnect', resolve),
      );

      // Act
      relay.signal(signal);
      const code = await relay.exited;

      // Assess
      expect(code).toBe(0);
      expect(await disconnected).toBe('transport close');
      expect(await groupState(relay.groupId)).toBe('Empty');
      expect(relay.lines.map((line) => line.message)).toEqual(
        expect.arrayContaining([
          'relay stopping',
          'relay closed',
          'relay stopped',
        ]),
      );
    },
  );
});
