import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { parse } from 'yaml';
import { requireCommand, runStep, startDaemon } from '../process';
import { dirs, HOST, type Ports, ROOT } from '../settings';
import { VERSIONS } from '../versions';
import { installedMarker, type Part } from './part';

interface TopicDeclaration {
  name: string;
  partitions: number;
  replicationFactor: number;
  config?: Record<string, string>;
}

/** Topics as declared in resources/kafka-topics.yml. */
export function readTopicDeclarations(): TopicDeclaration[] {
  const file = path.join(ROOT, 'resources', 'kafka-topics.yml');
  const doc = parse(fs.readFileSync(file, 'utf8')) as {
    topics: TopicDeclaration[];
  };
  return doc.topics;
}

/** Creates the declared topics that do not exist yet on the given brokers. */
export async function createTopics(
  brokers: string[],
  replicationFactor?: number,
): Promise<string[]> {
  const kafka = new Kafka({
    clientId: 'pharmaexpress-stack',
    brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = readTopicDeclarations().filter(
      (topic) => !existing.has(topic.name),
    );
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor: replicationFactor ?? topic.replicationFactor,
          configEntries: Object.entries(topic.config ?? {}).map(
            ([name, value]) => ({ name, value }),
          ),
        })),
      });
    }
    return missing.map((topic) => topic.name);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Apache Kafka as a single KRaft node (broker and controller in one JVM),
 * run from the jars that Maven resolves from Maven Central.
 */
export function kafkaPart(ports: Ports): Part {
  const home = path.join(dirs.install, `kafka-${VERSIONS.kafka}`);
  const libs = path.join(home, 'libs');
  const dataDir = path.join(dirs.data, 'kafka');
  const broker = `${HOST}:${ports.kafka}`;

  return {
    name: 'kafka',
    address: broker,
    ports: [ports.kafka, ports.kafkaController],
    managed: true,
    startTimeoutMs: 90_000,

    async probe() {
      const kafka = new Kafka({
        clientId: 'pharmaexpress-probe',
        brokers: [broker],
        logLevel: logLevel.NOTHING,
        connectionTimeout: 1000,
        retry: { retries: 0 },
      });
      const admin = kafka.admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        return cluster.brokers.length > 0;
      } catch {
        return false;
      } finally {
        await admin.disconnect().catch(() => {});
      }
    },

    async install() {
      if (fs.existsSync(installedMarker(home))) return;
      requireCommand('java', 'to run Kafka (Java 17 or newer)');
      requireCommand('mvn', 'to fetch the Kafka jars from Maven Central');
      fs.mkdirSync(home, { recursive: true });
      fs.writeFileSync(path.join(home, 'pom.xml'), kafkaPom());
      await runStep(
        'kafka',
        'mvn',
        [
          '-q',
          '-B',
          'dependency:copy-dependencies',
          `-DoutputDirectory=${libs}`,
        ],
        { cwd: home },
      );
      fs.writeFileSync(path.join(home, 'log4j2.properties'), LOG4J2);
      fs.writeFileSync(installedMarker(home), VERSIONS.kafka);
    },

    launch() {
      const config = path.join(home, 'server.properties');
      fs.mkdirSync(dataDir, { recursive: true });
      fs.writeFileSync(config, serverProperties(ports, dataDir));
      const java = (main: string, args: string[]) => [
        'java',
        '-Xms256m',
        '-Xmx768m',
        `-Dlog4j2.configurationFile=${path.join(home, 'log4j2.properties')}`,
        '-cp',
        `${libs}/*`,
        main,
        ...args,
      ];
      // A new data folder is formatted once with a fixed cluster id; one
      // shell runs both steps so there is a single process to watch.
      const format = fs.existsSync(path.join(dataDir, 'meta.properties'))
        ? ''
        : `${shell(java('kafka.tools.StorageTool', ['format', '--standalone', '-t', CLUSTER_ID, '-c', config, '--ignore-formatted']))} && `;
      const run = `exec ${shell(java('kafka.Kafka', [config]))}`;
      return startDaemon('kafka', '/bin/sh', ['-c', `${format}${run}`]);
    },

    async provision() {
      await createTopics([broker]);
    },

    env() {
      return { KAFKA_BROKERS: broker };
    },
  };
}

/** Quotes each word for sh, so the classpath glob reaches java unexpanded. */
function shell(words: string[]): string {
  return words.map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
}

// Any fixed base64 UUID: the local node is always the same cluster.
const CLUSTER_ID = 'cGhhcm1hZXhwcmVzczAwMQ';

function serverProperties(ports: Ports, dataDir: string): string {
  return `# Written by localstack/parts/kafka.ts at every start.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=${HOST}:${ports.kafkaController}
listeners=PLAINTEXT://${HOST}:${ports.kafka},CONTROLLER://${HOST}:${ports.kafkaController}
advertised.listeners=PLAINTEXT://${HOST}:${ports.kafka}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${dataDir}
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
`;
}

function kafkaPom(): string {
  const dep = (group: string, artifact: string, version: string) =>
    `    <dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>`;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <!-- Written by localstack/parts/kafka.ts: the jars of a Kafka node. -->
  <modelVersion>4.0.0</modelVersion>
  <groupId>pharmaexpress.local</groupId>
  <artifactId>kafka-node</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${dep('org.apache.kafka', 'kafka_2.13', VERSIONS.kafka)}
${dep('org.apache.kafka', 'kafka-tools', VERSIONS.kafka)}
${dep('org.slf4j', 'slf4j-api', VERSIONS.slf4j)}
${dep('org.apache.logging.log4j', 'log4j-slf4j2-impl', VERSIONS.log4j)}
${dep('org.apache.logging.log4j', 'log4j-core', VERSIONS.log4j)}
  </dependencies>
</project>
`;
}

const LOG4J2 = `status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = WARN
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
`;
