import type { ChildProcess } from 'node:child_process';

/**
 * One infrastructure part of the local stack (Kafka, MongoDB, the AWS
 * endpoint, the mail catcher). The stack drives every part through the
 * same steps: probe, install, launch, wait until the probe answers,
 * provision.
 */
export interface Part {
  readonly name: string;
  /** Human-readable address, for messages. */
  readonly address: string;
  /** TCP ports the part listens on, checked for conflicts before launch. */
  readonly ports: number[];
  /**
   * False when the part is provided from outside (for example MongoDB
   * through MONGODB_URI): the stack then only probes it.
   */
  readonly managed: boolean;
  /** How long a fresh launch may take to answer its probe. */
  readonly startTimeoutMs: number;
  /** True when a ready instance answers at the address. */
  probe(): Promise<boolean>;
  /** Installs what the part needs; returns quickly when already installed. */
  install(): Promise<void>;
  /**
   * Starts the process; installation has been done. `env` holds the
   * variables of the parts started before it (application parts need them).
   */
  launch(env: Record<string, string>): ChildProcess;
  /**
   * Creates what the code expects (topics, tables, queues, seed data);
   * idempotent. `env` is as for `launch`.
   */
  provision?(env: Record<string, string>): Promise<void>;
  /** Environment variables through which the code reaches the part. */
  env(): Record<string, string>;
}

/** Writes a marker after an install succeeds, so the next start skips it. */
export function installedMarker(dir: string): string {
  return `${dir}/.installed`;
}
