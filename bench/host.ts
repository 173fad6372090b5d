import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

/** The machine the figures come from. */
export function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage1m: os.loadavg()[0],
  };
}

/** Installed versions of what sits under the figures. */
export function versions(): Record<string, string> {
  const names = [
    'serverless',
    'serverless-offline',
    'serverless-offline-sqs',
    'kafkajs',
    '@grpc/grpc-js',
    'socket.io',
    'socket.io-client',
    'bcryptjs',
    'mongodb',
    '@apollo/server',
  ];
  return Object.fromEntries(
    names.map((name) => {
      const file = path.join(ROOT, 'node_modules', name, 'package.json');
      return [name, JSON.parse(fs.readFileSync(file, 'utf8')).version];
    }),
  );
}

/** Resident memory in MiB of a stack part, from its pid file, with children. */
export function residentMiB(part: string): number | null {
  try {
    const pidFile = path.join(ROOT, '.local', 'run', `${part}.pid`);
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    const kib = [pid, ...children(pid)].reduce(
      (sum, id) => sum + rssKiB(id),
      0,
    );
    return Math.round(kib / 102.4) / 10;
  } catch {
    return null;
  }
}

function rssKiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

function children(pid: number): number[] {
  let direct: number[] = [];
  try {
    direct = fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
  return direct.flatMap((child) => [child, ...children(child)]);
}
