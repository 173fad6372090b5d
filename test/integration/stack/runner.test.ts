import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The runner itself, driven as a user drives it, on a private state folder
 * and ports of its own so the shared stack the other tests use is left alone.
 * The mail catcher stands in for any part: it is the quickest to start.
 */
const ROOT = path.resolve(__dirname, '../../..');
const CLI = [
  path.join(ROOT, 'node_modules', '.bin', 'tsx'),
  'localstack/cli.ts',
];

function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'px-stack-'));
  return {
    ...process.env,
    LOCAL_STACK_DIR: state,
    LOCAL_STACK_INSTALL_DIR: path.join(ROOT, '.local', 'install'),
    LOCAL_SMTP_PORT: '21025',
    LOCAL_MAIL_WEB_PORT: '21080',
    ...extra,
  };
}

function cli(args: string[], env: NodeJS.ProcessEnv) {
  const [command, ...rest] = CLI as [string, ...string[]];
  return spawnSync(command, [...rest, ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('localstack/cli.ts', () => {
  it('reports a part that dies while up, and a new start brings it back', async () => {
    // Prepare: `up` in the foreground, as a user runs it.
    const env = isolatedEnv();
    cleanups.push(() => cli(['stop', '--parts', 'mail'], env));
    const [command, ...rest] = CLI as [string, ...string[]];
    const runner: ChildProcess = spawn(
      command,
      [...rest, 'up', '--parts', 'mail'],
      {
        cwd: ROOT,
        env,
      },
    );
    let output = '';
    runner.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    cleanups.push(() => runner.kill('SIGKILL'));
    await until(() => output.includes('Watching the parts'));

    // Act: kill the mail catcher behind the runner's back.
    const pidFile = path.join(env.LOCAL_STACK_DIR as string, 'run', 'mail.pid');
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    process.kill(-pid, 'SIGKILL');

    // Assess: the runner says so, and a second start revives the part.
    await until(() => output.includes('mail   STOPPED ANSWERING'));
    const restart = cli(['start', '--parts', 'mail'], env);
    expect(restart.status).toBe(0);
    expect(restart.stdout).toMatch(/mail\s+ready at/);
    await until(() => output.includes('mail   answering again'));

    // Ctrl-C stops what that `up` started.
    runner.kill('SIGINT');
    await until(() => runner.exitCode !== null);
    expect(output).toContain('stopped.');
  });

  it('reuses a part that already answers instead of starting another', () => {
    const env = isolatedEnv();
    cleanups.push(() => cli(['stop', '--parts', 'mail'], env));
    expect(cli(['start', '--parts', 'mail'], env).status).toBe(0);

    const second = cli(['start', '--parts', 'mail'], env);

    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/mail\s+already running/);
  });

  it('names the busy port when another program holds it', async () => {
    // Prepare: something that is not a mail catcher on the SMTP port.
    const squatter = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) =>
      squatter.listen(21125, '127.0.0.1', resolve),
    );
    cleanups.push(() => squatter.close());

    // Act
    const run = cli(
      ['start', '--parts', 'mail'],
      isolatedEnv({ LOCAL_SMTP_PORT: '21125', LOCAL_MAIL_WEB_PORT: '21180' }),
    );

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('port 21125 is taken');
  });

  it('names the missing prerequisite before installing anything', () => {
    // Prepare: a fresh install folder and a PATH with node but no Java.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'px-bin-'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const env = isolatedEnv({
      PATH: bin,
      LOCAL_STACK_INSTALL_DIR: fs.mkdtempSync(
        path.join(os.tmpdir(), 'px-inst-'),
      ),
      LOCAL_KAFKA_PORT: '21092',
      LOCAL_KAFKA_CONTROLLER_PORT: '21093',
    });

    // Act
    const run = cli(['start', '--parts', 'kafka'], env);

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('"java" is not on PATH');
  });

  it('refuses an unknown part name', () => {
    const run = cli(['start', '--parts', 'kafka,redis'], isolatedEnv());
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('unknown part(s) redis');
  });
});
