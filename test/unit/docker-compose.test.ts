/**
 * docker-compose.yml cannot be run in CI (no Docker engine), so it is kept
 * honest here: its ports, images, variables and endpoints are checked
 * against what the code reads and what the no-Docker stack uses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MIN_SECRET_LENGTH } from '../../lib/auth/config';
import { readEndpoints } from '../../lib/config';
import { readAppPorts } from '../../localstack/parts/app';
import { readTopicDeclarations } from '../../localstack/parts/kafka';
import { readPorts } from '../../localstack/settings';
import { VERSIONS } from '../../localstack/versions';

const ROOT = path.resolve(__dirname, '..', '..');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  expose?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
}

function read(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8');
}

// merge: the file shares variables through `<<` keys. logLevel: compose's
// own tags (`!override`) and CloudFormation's (`!GetAtt`) are read as plain
// values instead of warned about.
function readYaml<T>(file: string): T {
  return parse(read(file), { merge: true, logLevel: 'error' }) as T;
}

const compose = readYaml<{ services: Record<string, Service> }>(
  'docker-compose.yml',
);
const services = compose.services;
const localstack = readYaml<{ services: Record<string, Service> }>(
  'docker-compose.localstack.yml',
);

/** A value as compose sees it when no variable is set: `${X:-d}` is d. */
function withDefaults(value: string | number): string {
  return String(value).replace(
    /\$\{\w+(?::?-([^}]*))?\}/g,
    (_, fallback = '') => fallback,
  );
}

function environmentOf(name: string): Record<string, string> {
  const env = services[name]?.environment ?? {};
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, withDefaults(value)]),
  );
}

/** `127.0.0.1:9092:9092` → host address, host port, container port. */
function publishedPorts(name: string) {
  return (services[name]?.ports ?? []).map((entry) => {
    const [hostIp, published, target] = entry.split(':');
    return { hostIp, published: Number(published), target: Number(target) };
  });
}

/** Ports the service's container listens on: published or exposed. */
function listening(name: string): number[] {
  return [
    ...publishedPorts(name).map((port) => port.target),
    ...(services[name]?.expose ?? []).map(Number),
  ];
}

function dockerfileOf(name: string): string | undefined {
  const build = services[name]?.build;
  return build && path.join(build.context, build.dockerfile);
}

function hasHealthcheck(name: string): boolean {
  const dockerfile = dockerfileOf(name);
  return (
    services[name]?.healthcheck !== undefined ||
    (dockerfile !== undefined && /^HEALTHCHECK /m.test(read(dockerfile)))
  );
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(dir, file));
}

/** True when some file names the variable the way our readers take it. */
function readIn(files: string[], name: string): boolean {
  const pattern = new RegExp(
    `(['"\`])${name}\\1|env\\.${name}\\b|env\\[['"]${name}['"]\\]`,
  );
  return files.some((file) => pattern.test(read(file)));
}

/** Read by the AWS SDK's credential chain, not by our code. */
const SDK_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

const stackPorts = readPorts({});
const appPorts = readAppPorts({});

describe('docker-compose.yml', () => {
  describe('ports', () => {
    // The same ports as `npm start`: host tools and docs hold for both.
    const expected: Record<string, number[]> = {
      kafka: [stackPorts.kafka],
      mongo: [stackPorts.mongo],
      aws: [stackPorts.aws],
      mail: [stackPorts.smtp, stackPorts.mailWeb],
      provision: [],
      pharma: [appPorts.pharma],
      relay: [appPorts.relay],
      functions: [appPorts.http, appPorts.lambda],
    };

    it('lists every service of the file', () => {
      expect(Object.keys(services).sort()).toEqual(
        Object.keys(expected).sort(),
      );
    });

    it.each(Object.entries(expected))(
      'publishes %s on the ports of the no-Docker stack',
      (name, ports) => {
        const published = publishedPorts(name);

        expect(published.map((port) => port.published)).toEqual(ports);
        // Inside the container too, so the code's defaults hold there.
        expect(published.map((port) => port.target)).toEqual(ports);
      },
    );

    it('publishes on 127.0.0.1 only, as its defaults are local secrets', () => {
      const addresses = Object.keys(services).flatMap((name) =>
        publishedPorts(name).map((port) => port.hostIp),
      );

      expect(new Set(addresses)).toEqual(new Set(['127.0.0.1']));
    });

    it.each([
      ['pharma', 'PHARMA_PORT', appPorts.pharma],
      ['relay', 'RELAY_PORT', appPorts.relay],
      ['functions', 'HTTP_PORT', appPorts.http],
      ['functions', 'LAMBDA_PORT', appPorts.lambda],
      ['aws', 'MOTO_PORT', stackPorts.aws],
      ['mail', 'MAILDEV_SMTP_PORT', stackPorts.smtp],
      ['mail', 'MAILDEV_WEB_PORT', stackPorts.mailWeb],
    ])('makes %s listen (%s) on the port it publishes', (name, key, port) => {
      expect(environmentOf(name)[key]).toBe(String(port));
      expect(listening(name)).toContain(port);
    });
  });

  describe('images', () => {
    it.each([
      ['kafka', `apache/kafka:${VERSIONS.kafka}`],
      ['aws', `motoserver/moto:${VERSIONS.moto}`],
      ['mail', `maildev/maildev:${VERSIONS.maildev}`],
    ])('runs %s at the version the no-Docker stack installs', (name, image) => {
      expect(services[name]?.image).toBe(image);
    });

    it.each(Object.keys(services).filter((name) => services[name]?.build))(
      'builds %s from a Dockerfile that runs as non-root with a HEALTHCHECK',
      (name) => {
        const dockerfile = dockerfileOf(name) as string;

        expect(fs.existsSync(path.join(ROOT, dockerfile))).toBe(true);
        expect(read(dockerfile)).toMatch(/^USER (?!root\b)\w+/m);
        expect(read(dockerfile)).toMatch(/^HEALTHCHECK /m);
      },
    );
  });

  describe('depends_on', () => {
    const edges = Object.entries(services).flatMap(([name, service]) =>
      Object.entries(service.depends_on ?? {}).map(
        ([target, { condition }]) => [name, target, condition] as const,
      ),
    );

    it.each(edges)('%s depends on %s, which exists', (_name, target) => {
      expect(Object.keys(services)).toContain(target);
    });

    it.each(edges)(
      '%s waits for %s to be ready (%s)',
      (_name, target, condition) => {
        const oneShot = services[target]?.restart === 'no';

        expect(condition).toBe(
          oneShot ? 'service_completed_successfully' : 'service_healthy',
        );
        if (!oneShot) expect(hasHealthcheck(target)).toBe(true);
      },
    );

    it('gives every long-running service a health check', () => {
      const unchecked = Object.keys(services).filter(
        (name) => services[name]?.restart !== 'no' && !hasHealthcheck(name),
      );

      expect(unchecked).toEqual([]);
    });
  });

  describe('environment', () => {
    const code = ['lib', 'functions', 'services', 'localstack'].flatMap(
      sourceFiles,
    );
    const serverlessYml = read('serverless.yml');
    const readers: Record<string, (key: string) => boolean> = {
      pharma: (key) =>
        readIn([...sourceFiles('lib'), ...sourceFiles('services/pharma')], key),
      relay: (key) =>
        readIn([...sourceFiles('lib'), ...sourceFiles('services/relay')], key),
      // serverless-offline hands a handler only the AWS_* variables and the
      // environment of serverless.yml; the rest is for the event sources.
      functions: (key) =>
        key.startsWith('AWS_') ||
        serverlessYml.includes(`\${env:${key},`) ||
        readIn(sourceFiles('localstack'), key),
      provision: (key) => SDK_VARIABLES.includes(key) || readIn(code, key),
    };

    it.each(Object.keys(readers))(
      'gives %s only variables that its code reads',
      (name) => {
        const reader = readers[name] as (key: string) => boolean;
        const unread = Object.keys(environmentOf(name)).filter(
          (key) => !reader(key),
        );

        expect(unread).toEqual([]);
      },
    );

    // host:port pairs the code dials, per variable.
    const endpointsOf: Record<string, (value: string) => URL[]> = {
      KAFKA_BROKERS: (value) =>
        value.split(',').map((broker) => new URL(`kafka://${broker}`)),
      PHARMA_GRPC_URL: (value) => [new URL(`grpc://${value}`)],
      MONGODB_URI: (value) => [new URL(value)],
      AWS_ENDPOINT_URL: (value) => [new URL(value)],
      SMTP_URL: (value) => [new URL(value)],
      API_URL: (value) => [new URL(value)],
    };
    const endpoints = Object.keys(services).flatMap((name) =>
      Object.entries(environmentOf(name))
        .filter(([key]) => key in endpointsOf)
        .flatMap(([key, value]) =>
          (endpointsOf[key] as (value: string) => URL[])(value).map(
            (url) => [name, key, url.hostname, Number(url.port)] as const,
          ),
        ),
    );

    it('gives the application containers their endpoints', () => {
      const keys = (name: string) =>
        endpoints.filter(([service]) => service === name).map(([, key]) => key);

      expect(keys('pharma')).toEqual(['MONGODB_URI']);
      expect(keys('relay').sort()).toEqual(['API_URL', 'KAFKA_BROKERS']);
      expect(keys('functions').sort()).toEqual(Object.keys(endpointsOf).sort());
    });

    it.each(endpoints)(
      '%s: %s points at a service that listens there (%s:%i)',
      (name, _key, host, port) => {
        // Loopback inside a container is that container itself.
        const target = host === '127.0.0.1' ? name : host;

        expect(Object.keys(services)).toContain(target);
        expect(listening(target)).toContain(port);
      },
    );

    it('uses the database of the no-Docker stack', () => {
      const database = new URL(readEndpoints({}).mongodbUri).pathname;
      const uris = Object.keys(services).flatMap((name) => {
        const uri = environmentOf(name).MONGODB_URI;
        return uri ? [new URL(uri).pathname] : [];
      });

      expect(uris.length).toBeGreaterThan(0);
      expect(new Set(uris)).toEqual(new Set([database]));
    });

    it('gives every part that checks tokens the same valid JWT secret', () => {
      const secrets = ['relay', 'functions'].map(
        (name) => environmentOf(name).JWT_SECRET ?? '',
      );

      expect(new Set(secrets).size).toBe(1);
      expect(secrets[0]?.length).toBeGreaterThanOrEqual(MIN_SECRET_LENGTH);
    });
  });

  describe('kafka', () => {
    const env = environmentOf('kafka');
    const brokers = Object.keys(services).flatMap((name) => {
      const value = environmentOf(name).KAFKA_BROKERS;
      return value ? value.split(',') : [];
    });

    it('advertises to containers the address they are given', () => {
      const advertised = env.KAFKA_ADVERTISED_LISTENERS?.split(',') ?? [];

      expect(brokers.length).toBeGreaterThan(0);
      for (const broker of new Set(brokers)) {
        expect(advertised.some((entry) => entry.endsWith(`//${broker}`))).toBe(
          true,
        );
      }
    });

    it('advertises to the host the port it publishes', () => {
      expect(env.KAFKA_ADVERTISED_LISTENERS).toContain(
        `//localhost:${stackPorts.kafka}`,
      );
    });

    it('creates no topic on first use, like the no-Docker stack', () => {
      expect(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    });
  });

  describe('provisioning', () => {
    it('runs the stack runner’s provision command', () => {
      expect(services.provision?.command?.slice(-2)).toEqual([
        'localstack/cli.ts',
        'provision',
      ]);
      expect(read('localstack/cli.ts')).toMatch(/case 'provision':/);
    });

    // Topics, tables and queues come from resources/ through the code;
    // a name written here would be a second list that drifts.
    it('names no topic, table or queue', () => {
      const serverless = readYaml<{
        service: string;
        custom: { names: Record<string, string> };
      }>('serverless.yml');
      const names = [
        ...readTopicDeclarations().map((topic) => topic.name),
        ...Object.values(serverless.custom.names).map((template) =>
          template
            .replace(/\$\{self:service\}/, serverless.service)
            .replace(/\$\{sls:stage\}/, 'dev'),
        ),
      ];
      const files = [
        'docker-compose.yml',
        'docker-compose.localstack.yml',
        'Dockerfile.functions',
        'docker/functions.sh',
      ];

      expect(names.filter((name) => name.includes('${'))).toEqual([]);
      for (const file of files) {
        expect(names.filter((name) => read(file).includes(name))).toEqual([]);
      }
    });
  });
});

describe('docker-compose.localstack.yml', () => {
  const aws = localstack.services.aws;

  it('replaces the aws service only, on the same name and port', () => {
    expect(Object.keys(localstack.services)).toEqual(['aws']);
    expect(aws?.image).toMatch(/^localstack\/localstack:/);
    expect(aws?.ports).toBeUndefined();
  });

  it('passes the LocalStack auth token from the environment', () => {
    expect(aws?.environment?.LOCALSTACK_AUTH_TOKEN).toMatch(
      /^\$\{LOCALSTACK_AUTH_TOKEN\b/,
    );
  });

  it('has its own health check', () => {
    expect(aws?.healthcheck?.test.join(' ')).toMatch(/_localstack\/health/);
  });
});
