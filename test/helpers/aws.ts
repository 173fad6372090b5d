import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { requireEnv } from '../../lib/config';

/** Clients for the local AWS-compatible endpoint the global setup started. */
export function localAws() {
  const config = {
    endpoint: requireEnv('AWS_ENDPOINT_URL'),
    region: requireEnv('AWS_REGION'),
  };
  return { dynamodb: new DynamoDBClient(config), sqs: new SQSClient(config) };
}
