/**
 * Cold start of each function as a deploy ships it: the bundles that
 * `serverless package` zips, unzipped, each handler required in fresh node
 * processes.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  loadServerlessConfig,
  type ServerlessConfig,
  type ServerlessFunction,
} from '../localstack/serverless-config';
import { median, round } from './stats';

const ROOT = path.join(__dirname, '..');
const MODULES = path.join(ROOT, 'node_modules');
const run = promisify(execFile);

// Left out of the copy of the service: git, the stack's state and build
// folders (node_modules is linked in on its own).
const NOT_COPIED = new Set([
  'node_modules',
  '.git',
  '.local',
  '.esbuild',
  '.serverless',
]);

// Prints how long the require of one handler module takes, in a fresh
// process: the module-scope work a Lambda cold start pays before the
// first event (clients, schemas, config), less Lambda's own runtime start.
const PROBE = `const t = performance.now();
require(process.argv[1]);
console.log(performance.now() - t);`;

export interface ColdStart {
  /** The deployment package, as uploaded. */
  zipKiB: number;
  /** The handler's bundle, unzipped, without its source map. */
  codeKiB: number;
  /** Median time to require the handler. */
  initMs: number;
  /** Each process's time to require the handler. */
  runsMs: number[];
}

/**
 * Size of each function's deployment package, and the median time to
 * require its handler over `runs` fresh node processes, with the
 * environment serverless.yml gives it.
 */
export async function coldStarts(
  stage: string,
  runs: number,
): Promise<Record<string, ColdStart>> {
  const config = loadServerlessConfig(stage);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pharmaexpress-cold-'));
  try {
    const artifacts = await packageService(stage, tmp);
    const result: Record<string, ColdStart> = {};
    for (const [name, fn] of Object.entries(config.functions ?? {})) {
      const zip = path.join(artifacts, `${name}.zip`);
      const dir = path.join(tmp, 'unzipped', name);
      fs.mkdirSync(dir, { recursive: true });
      await run('unzip', ['-q', zip, '-d', dir]);
      const file = path.join(dir, fn.handler.replace(/\.[^.]+$/, '.js'));
      const times = await initTimes(file, dir, environment(config, fn), runs);
      result[name] = {
        zipKiB: kib(zip),
        codeKiB: kib(file),
        initMs: round(median(times), 1),
        runsMs: times.map((ms) => round(ms, 1)),
      };
    }
    return result;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Runs `serverless package` on a copy of the service, not the repository:
 * serverless-esbuild builds in, then deletes, `<service>/.esbuild`, the
 * folder the running serverless-offline loads the functions from.
 */
async function packageService(stage: string, tmp: string): Promise<string> {
  const service = path.join(tmp, 'service');
  fs.cpSync(ROOT, service, {
    recursive: true,
    filter: (src) => !NOT_COPIED.has(path.relative(ROOT, src)),
  });
  await linkModules(path.join(service, 'node_modules'));
  const out = path.join(tmp, 'package');
  await run(
    path.join(MODULES, '.bin', 'serverless'),
    ['package', '--package', out, '--stage', stage],
    {
      cwd: service,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
      timeout: 180_000,
    },
  );
  return out;
}

/**
 * Hard links, so that esbuild finds node_modules where a build in the
 * repository does and writes the same bytes (through a symlink, its path
 * comments name the real folder: a bundle ~1% bigger). A symlink when
 * hard links fail (no GNU cp, another file system).
 */
async function linkModules(target: string): Promise<void> {
  try {
    await run('cp', ['-al', MODULES, target]);
  } catch {
    fs.rmSync(target, { recursive: true, force: true });
    fs.symlinkSync(MODULES, target, 'dir');
  }
}

async function initTimes(
  file: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  runs: number,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(process.execPath, ['-e', PROBE, file], {
      cwd,
      env,
      timeout: 60_000,
    });
    const ms = Number(stdout.trim().split('\n').pop());
    if (!Number.isFinite(ms)) throw new Error(`${file} printed: ${stdout}`);
    times.push(ms);
  }
  return times;
}

/** What the function sees on Lambda, as far as its module scope goes. */
function environment(
  config: ServerlessConfig,
  fn: ServerlessFunction,
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...set(config.provider.environment),
    ...set(fn.environment),
    LOG_LEVEL: 'ERROR',
    // The bundles leave @aws-sdk/* out: the Lambda runtime provides it.
    NODE_PATH: MODULES,
  };
}

/** The variables that have a value (serverless resolves unset ones to ''). */
function set(env: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value));
}

function kib(file: string): number {
  return round(fs.statSync(file).size / 1024, 1);
}
