import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import {
  onPath,
  requireCommand,
  runStep,
  StackError,
  startDaemon,
} from '../process';
import { dirs, HOST, type Ports } from '../settings';
import { VERSIONS } from '../versions';
import { installedMarker, type Part } from './part';

const DATABASE = 'pharmaexpress';

async function ping(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: 1500,
    connectTimeoutMS: 1500,
  });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => {});
  }
}

/**
 * The MongoDB-compatible server, chosen in this order:
 * 1. `MONGODB_URI` when set: used as it is, never started or stopped;
 * 2. a `mongod` on PATH;
 * 3. FerretDB v1 with its SQLite backend, built from the Go module proxy.
 */
export function mongoPart(ports: Ports): Part {
  const external = process.env.MONGODB_URI?.trim();
  if (external) return externalMongo(external);
  return onPath('mongod') ? mongodPart(ports) : ferretPart(ports);
}

function externalMongo(uri: string): Part {
  return {
    name: 'mongo',
    address: uri.replace(/\/\/[^@/]*@/, '//***@'),
    ports: [],
    managed: false,
    startTimeoutMs: 0,
    probe: () => ping(uri),
    async install() {},
    launch() {
      throw new StackError(
        `MONGODB_URI is set but nothing answers there; start that server or unset MONGODB_URI to use a local one`,
      );
    },
    env: () => ({ MONGODB_URI: uri }),
  };
}

function localUri(ports: Ports): string {
  return `mongodb://${HOST}:${ports.mongo}/${DATABASE}`;
}

function mongodPart(ports: Ports): Part {
  const dataDir = path.join(dirs.data, 'mongod');
  return {
    name: 'mongo',
    address: `${HOST}:${ports.mongo} (mongod)`,
    ports: [ports.mongo],
    managed: true,
    startTimeoutMs: 30_000,
    probe: () => ping(localUri(ports)),
    async install() {},
    launch() {
      fs.mkdirSync(dataDir, { recursive: true });
      return startDaemon('mongo', 'mongod', [
        '--bind_ip',
        HOST,
        '--port',
        String(ports.mongo),
        '--dbpath',
        dataDir,
      ]);
    },
    env: () => ({ MONGODB_URI: localUri(ports) }),
  };
}

function ferretPart(ports: Ports): Part {
  const home = path.join(dirs.install, `ferretdb-${VERSIONS.ferretdb}`);
  const binary = path.join(home, 'ferretdb');
  const dataDir = path.join(dirs.data, 'ferretdb');

  return {
    name: 'mongo',
    address: `${HOST}:${ports.mongo} (FerretDB ${VERSIONS.ferretdb}, SQLite)`,
    ports: [ports.mongo],
    managed: true,
    startTimeoutMs: 30_000,
    probe: () => ping(localUri(ports)),

    async install() {
      if (fs.existsSync(installedMarker(home))) return;
      requireCommand('go', 'to build FerretDB (no mongod on PATH)');
      fs.mkdirSync(home, { recursive: true });
      const module = `github.com/FerretDB/FerretDB@${VERSIONS.ferretdb}`;
      const download = spawnSync('go', ['mod', 'download', '-json', module], {
        encoding: 'utf8',
      });
      if (download.status !== 0) {
        throw new StackError(
          `go mod download ${module} failed:\n${download.stderr || download.stdout}`,
        );
      }
      // The module as served lacks the version file its build embeds (the
      // project's own build writes it), so build from a writable copy.
      const source = path.join(home, 'src');
      fs.rmSync(source, { recursive: true, force: true });
      fs.cpSync((JSON.parse(download.stdout) as { Dir: string }).Dir, source, {
        recursive: true,
      });
      makeWritable(source);
      fs.writeFileSync(
        path.join(source, 'build', 'version', 'version.txt'),
        `${VERSIONS.ferretdb}\n`,
      );
      await runStep('mongo', 'go', ['build', '-o', binary, './cmd/ferretdb'], {
        cwd: source,
      });
      fs.rmSync(source, { recursive: true, force: true });
      fs.writeFileSync(installedMarker(home), VERSIONS.ferretdb);
    },

    launch() {
      fs.mkdirSync(dataDir, { recursive: true });
      return startDaemon('mongo', binary, [
        '--handler=sqlite',
        `--sqlite-url=file:${dataDir}/`,
        `--listen-addr=${HOST}:${ports.mongo}`,
        `--state-dir=${dataDir}`,
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=warn',
      ]);
    },

    env: () => ({ MONGODB_URI: localUri(ports) }),
  };
}

function makeWritable(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      fs.chmodSync(full, 0o755);
      makeWritable(full);
    } else {
      fs.chmodSync(full, 0o644);
    }
  }
  fs.chmodSync(dir, 0o755);
}
