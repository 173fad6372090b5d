import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { dirs } from './settings';

/** A prerequisite (a toolchain or a free port) is missing: the message says which. */
export class StackError extends Error {
  override name = 'StackError';
}

export function logFile(part: string): string {
  return path.join(dirs.logs, `${part}.log`);
}

function pidFile(part: string): string {
  return path.join(dirs.run, `${part}.pid`);
}

/** Fails with a clear message when a command the stack needs is not on PATH. */
export function requireCommand(command: string, why: string): void {
  const found = spawnSync('/bin/sh', ['-c', `command -v ${command}`], {
    encoding: 'utf8',
  });
  if (found.status !== 0) {
    throw new StackError(`"${command}" is not on PATH; it is needed ${why}`);
  }
}

export function onPath(command: string): boolean {
  return (
    spawnSync('/bin/sh', ['-c', `command -v ${command}`], { stdio: 'ignore' })
      .status === 0
  );
}

/**
 * Runs an install step to completion, its output appended to the part's
 * log. Throws with the log's tail when the step fails.
 */
export async function runStep(
  part: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<void> {
  fs.mkdirSync(dirs.logs, { recursive: true });
  const log = fs.openSync(logFile(part), 'a');
  fs.writeSync(log, `\n$ ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', log, log],
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  }).finally(() => fs.closeSync(log));
  if (code !== 0) {
    throw new StackError(
      `${part}: "${command} ${args.join(' ')}" failed (exit ${code}):\n` +
        tailOf(logFile(part)),
    );
  }
}

/**
 * Starts a long-lived process in its own process group, writing to the
 * part's log and recording its pid so that `stack stop` and a later start
 * can find it.
 */
export function startDaemon(
  part: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): ChildProcess {
  fs.mkdirSync(dirs.logs, { recursive: true });
  fs.mkdirSync(dirs.run, { recursive: true });
  const log = fs.openSync(logFile(part), 'a');
  fs.writeSync(log, `\n=== ${new Date().toISOString()} start ${part}\n`);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  fs.closeSync(log);
  if (child.pid === undefined) {
    throw new StackError(`${part}: could not start "${command}"`);
  }
  fs.writeFileSync(pidFile(part), String(child.pid));
  child.unref();
  return child;
}

export function recordedPid(part: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile(part), 'utf8'));
    return Number.isInteger(pid) && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a part started by the stack: SIGTERM to its process group, then
 * SIGKILL after `graceMs`. Returns false when nothing was running.
 */
export async function stopDaemon(
  part: string,
  graceMs = 10_000,
): Promise<boolean> {
  const pid = recordedPid(part);
  fs.rmSync(pidFile(part), { force: true });
  if (pid === undefined) return false;

  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  return true;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** True when something accepts TCP connections on the port. */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** True when a GET of `url` answers 2xx within `timeoutMs`. */
export async function httpOk(url: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.ok;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last lines of a log, for error messages. */
export function tailOf(file: string, lines = 15): string {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((line) => `    ${line}`)
      .join('\n');
  } catch {
    return '    (no log)';
  }
}
