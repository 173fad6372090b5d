import path from 'node:path';
import { intEnv, stringEnv } from '../lib/config';

/** Repository root: everything the stack writes stays below it. */
export const ROOT = path.resolve(__dirname, '..');

/** Git-ignored home of installs, data, logs and pid files. */
export const LOCAL_DIR = stringEnv(
  'LOCAL_STACK_DIR',
  path.join(ROOT, '.local'),
);

export const dirs = {
  /** Installed parts; shareable between several stacks on one machine. */
  install: stringEnv(
    'LOCAL_STACK_INSTALL_DIR',
    path.join(LOCAL_DIR, 'install'),
  ),
  data: path.join(LOCAL_DIR, 'data'),
  logs: path.join(LOCAL_DIR, 'logs'),
  run: path.join(LOCAL_DIR, 'run'),
};

/** Loopback only: nothing of the local stack listens beyond this machine. */
export const HOST = '127.0.0.1';

/** Ports of the local parts; each can be moved with its variable. */
export function readPorts(env: NodeJS.ProcessEnv = process.env) {
  const port = (name: string, fallback: number) =>
    intEnv(name, fallback, { min: 1, max: 65535 }, env);
  return {
    kafka: port('LOCAL_KAFKA_PORT', 9092),
    kafkaController: port('LOCAL_KAFKA_CONTROLLER_PORT', 9093),
    mongo: port('LOCAL_MONGO_PORT', 27017),
    aws: port('LOCAL_AWS_PORT', 4566),
    smtp: port('LOCAL_SMTP_PORT', 1025),
    mailWeb: port('LOCAL_MAIL_WEB_PORT', 1080),
  };
}

export type Ports = ReturnType<typeof readPorts>;
