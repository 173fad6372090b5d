import fs from 'node:fs';
import path from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { requireCommand, runStep, startDaemon } from '../process';
import type { CfnResource, ServerlessConfig } from '../serverless-config';
import { dirs, HOST, type Ports } from '../settings';
import { VERSIONS } from '../versions';
import { installedMarker, type Part } from './part';

/** Credentials the local endpoint accepts; they reach no real account. */
const LOCAL_CREDENTIALS = {
  accessKeyId: 'test',
  secretAccessKey: 'test',
};

/**
 * The AWS-compatible endpoint for DynamoDB and SQS: moto in server mode,
 * installed from PyPI into its own virtual environment. It keeps state in
 * memory, so tables and queues are created again at every start from the
 * CloudFormation declarations in resources/.
 */
export function awsPart(ports: Ports, config: () => ServerlessConfig): Part {
  const home = path.join(dirs.install, `moto-${VERSIONS.moto}`);
  const endpoint = `http://${HOST}:${ports.aws}`;
  const region = () => config().provider.region;
  const clientConfig = () => ({
    endpoint,
    region: region(),
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });

  return {
    name: 'aws',
    address: `${endpoint} (moto ${VERSIONS.moto})`,
    ports: [ports.aws],
    managed: true,
    startTimeoutMs: 30_000,

    async probe() {
      const sqs = new SQSClient(clientConfig());
      try {
        await sqs.send(new ListQueuesCommand({}));
        return true;
      } catch {
        return false;
      } finally {
        sqs.destroy();
      }
    },

    async install() {
      if (fs.existsSync(installedMarker(home))) return;
      requireCommand('python3', 'to install moto (the local AWS endpoint)');
      await runStep('aws', 'python3', ['-m', 'venv', path.join(home, 'venv')]);
      await runStep('aws', path.join(home, 'venv', 'bin', 'pip'), [
        'install',
        '--quiet',
        `moto[server]==${VERSIONS.moto}`,
      ]);
      fs.writeFileSync(installedMarker(home), VERSIONS.moto);
    },

    launch() {
      return startDaemon('aws', path.join(home, 'venv', 'bin', 'moto_server'), [
        '-H',
        HOST,
        '-p',
        String(ports.aws),
      ]);
    },

    async provision() {
      await provisionAws(endpoint, region(), config().resources?.Resources);
    },

    env() {
      return {
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: region(),
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        // The SDK's notice about Node 20 support says nothing about the
        // stack; it only clutters every log.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      };
    },
  };
}

/**
 * Creates the DynamoDB tables and SQS queues declared in `resources` (the
 * CloudFormation of resources/, as `serverless print` resolves it) on an
 * AWS-compatible endpoint. Idempotent: what exists is kept.
 */
export async function provisionAws(
  endpoint: string,
  region: string,
  resources: Record<string, CfnResource> = {},
): Promise<void> {
  const clientConfig = {
    endpoint,
    region,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  };
  const dynamodb = new DynamoDBClient(clientConfig);
  const sqs = new SQSClient(clientConfig);
  try {
    await createTables(dynamodb, resources);
    await createQueues(sqs, resources);
  } finally {
    dynamodb.destroy();
    sqs.destroy();
  }
}

function ofType(resources: Record<string, CfnResource>, type: string) {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

/** Creates each AWS::DynamoDB::Table that does not exist yet. */
async function createTables(
  client: DynamoDBClient,
  resources: Record<string, CfnResource>,
): Promise<void> {
  for (const [, table] of ofType(resources, 'AWS::DynamoDB::Table')) {
    const props = table.Properties;
    const name = props.TableName as string;
    try {
      await client.send(new DescribeTableCommand({ TableName: name }));
      continue;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }

    // CloudFormation's table properties are the API's, but for streams,
    // which the API switches on with a flag of its own.
    const stream = props.StreamSpecification as
      | { StreamViewType: string }
      | undefined;
    await client.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: props.AttributeDefinitions,
        KeySchema: props.KeySchema,
        BillingMode: props.BillingMode,
        ProvisionedThroughput: props.ProvisionedThroughput,
        GlobalSecondaryIndexes: props.GlobalSecondaryIndexes,
        LocalSecondaryIndexes: props.LocalSecondaryIndexes,
        StreamSpecification: stream && {
          StreamEnabled: true,
          StreamViewType: stream.StreamViewType,
        },
      } as CreateTableCommandInput),
    );
    const ttl = props.TimeToLiveSpecification as
      | { AttributeName: string; Enabled: boolean }
      | undefined;
    if (ttl?.Enabled) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: ttl,
        }),
      );
    }
  }
}

const QUEUE_ATTRIBUTES = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'FifoQueue',
  'ContentBasedDeduplication',
];

/**
 * Creates or updates each AWS::SQS::Queue. Queues are made first and
 * redrive policies set after, so that a `!GetAtt X.Arn` dead-letter target
 * resolves to a queue that exists.
 */
async function createQueues(
  client: SQSClient,
  resources: Record<string, CfnResource>,
): Promise<void> {
  const queues = ofType(resources, 'AWS::SQS::Queue');
  const arns = new Map<string, string>();
  const urls = new Map<string, string>();

  for (const [logicalId, queue] of queues) {
    const name = queue.Properties.QueueName as string;
    const attributes: Record<string, string> = {};
    for (const key of QUEUE_ATTRIBUTES) {
      const value = queue.Properties[key];
      if (value !== undefined) attributes[key] = String(value);
    }
    const url = await ensureQueue(client, name, attributes);
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['QueueArn'],
      }),
    );
    urls.set(logicalId, url);
    arns.set(logicalId, Attributes?.QueueArn ?? '');
  }

  for (const [logicalId, queue] of queues) {
    const redrive = queue.Properties.RedrivePolicy as
      | { deadLetterTargetArn: unknown; maxReceiveCount: number }
      | undefined;
    if (!redrive) continue;
    const target = resolveArn(redrive.deadLetterTargetArn, arns);
    await client.send(
      new SetQueueAttributesCommand({
        QueueUrl: urls.get(logicalId),
        Attributes: {
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: target,
            maxReceiveCount: redrive.maxReceiveCount,
          }),
        },
      }),
    );
  }
}

async function ensureQueue(
  client: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<string> {
  try {
    const { QueueUrl } = await client.send(
      new GetQueueUrlCommand({ QueueName: name }),
    );
    if (QueueUrl) {
      await client.send(
        new SetQueueAttributesCommand({
          QueueUrl,
          Attributes: attributes,
        }),
      );
      return QueueUrl;
    }
  } catch (error) {
    if (!(error instanceof QueueDoesNotExist)) throw error;
  }
  const { QueueUrl } = await client.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  return QueueUrl as string;
}

/** Resolves `{ "Fn::GetAtt": [LogicalId, "Arn"] }` or a literal ARN. */
function resolveArn(value: unknown, arns: Map<string, string>): string {
  if (typeof value === 'string') return value;
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  const arn = getAtt && arns.get(getAtt[0]);
  if (!arn) {
    throw new Error(
      `cannot resolve dead-letter target ${JSON.stringify(value)}`,
    );
  }
  return arn;
}
