import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadServerlessConfig } from '../localstack/serverless-config';
import { median, round } from './stats';

const ROOT = path.join(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const run = promisify(execFile);

// Prints how long the import of one handler module takes, in a fresh
// process: the module-scope work a Lambda cold start pays before the
// first event (clients, schemas, config), less Lambda's own runtime start.
const PROBE = `const t = performance.now();
require(process.argv[1]);
console.log(performance.now() - t);`;

/**
 * Median import time in ms of each function's handler module over `runs`
 * fresh processes, with the environment serverless.yml gives it.
 */
export async function coldStarts(
  stage: string,
  runs: number,
): Promise<Record<string, number>> {
  const config = loadServerlessConfig(stage);
  const result: Record<string, number> = {};
  for (const [name, fn] of Object.entries(config.functions ?? {})) {
    const file = path.join(ROOT, fn.handler.replace(/\.[^.]+$/, '.ts'));
    const env = {
      ...process.env,
      ...set(config.provider.environment),
      ...set(fn.environment),
      LOG_LEVEL: 'ERROR',
    };
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { stdout } = await run(TSX, ['-e', PROBE, file], {
        cwd: ROOT,
        env,
        timeout: 60_000,
      });
      times.push(Number(stdout.trim().split('\n').pop()));
    }
    result[name] = round(median(times), 1);
  }
  return result;
}

/** The variables that have a value (serverless resolves unset ones to ''). */
function set(env: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value));
}
