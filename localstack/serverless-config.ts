import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StackError } from './process';
import { dirs, ROOT } from './settings';

/** The parts of a resolved serverless.yml that the local stack reads. */
export interface ServerlessConfig {
  provider: { region: string; environment?: Record<string, string> };
  functions?: Record<string, ServerlessFunction>;
  resources?: { Resources?: Record<string, CfnResource> };
  custom?: Record<string, unknown>;
}

export interface ServerlessFunction {
  handler: string;
  timeout?: number;
  environment?: Record<string, string>;
  events?: Record<string, unknown>[];
}

export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
}

/**
 * serverless.yml as the Serverless Framework resolves it for a stage
 * (`serverless print`), so that the local stack creates exactly the
 * resources a deploy would, from the same files. The result is cached
 * until serverless.yml or anything in resources/ changes.
 */
export function loadServerlessConfig(stage: string): ServerlessConfig {
  const key = inputsHash(stage);
  const cache = path.join(dirs.run, `serverless-${stage}.json`);
  try {
    const cached = JSON.parse(fs.readFileSync(cache, 'utf8'));
    if (cached.key === key) return cached.config as ServerlessConfig;
  } catch {
    // No cache yet.
  }

  const cli = path.join(ROOT, 'node_modules', '.bin', 'serverless');
  const printed = spawnSync(
    cli,
    ['print', '--format', 'json', '--stage', stage],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
    },
  );
  if (printed.status !== 0) {
    throw new StackError(
      `serverless print failed (run npm install first?):\n${printed.stderr}`,
    );
  }
  const config = JSON.parse(printed.stdout) as ServerlessConfig;
  fs.mkdirSync(dirs.run, { recursive: true });
  fs.writeFileSync(cache, JSON.stringify({ key, config }));
  return config;
}

function inputsHash(stage: string): string {
  const hash = crypto.createHash('sha256').update(stage);
  const files = [
    path.join(ROOT, 'serverless.yml'),
    ...fs
      .readdirSync(path.join(ROOT, 'resources'))
      .sort()
      .map((name) => path.join(ROOT, 'resources', name)),
  ];
  for (const file of files) hash.update(fs.readFileSync(file));
  return hash.digest('hex');
}
