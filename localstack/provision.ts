import { spawn } from 'node:child_process';
import path from 'node:path';
import { readEndpoints } from '../lib/config';
import { provisionAws } from './parts/aws';
import { createTopics } from './parts/kafka';
import { StackError } from './process';
import { loadServerlessConfig } from './serverless-config';
import { ROOT } from './settings';

export interface ProvisionOptions {
  /** Where the endpoints come from: KAFKA_BROKERS, AWS_ENDPOINT_URL, MONGODB_URI. */
  env: NodeJS.ProcessEnv;
  /** Serverless stage whose resource names are created. */
  stage: string;
  say: (line: string) => void;
}

/**
 * Provisions parts that run elsewhere (the containers of
 * docker-compose.yml, say) from the declarations the local stack uses: the
 * topics of resources/kafka-topics.yml on KAFKA_BROKERS, the tables and
 * queues of resources/*.yml on AWS_ENDPOINT_URL, the catalogue seed on
 * MONGODB_URI and, when ADMIN_EMAIL is set, the first admin. Every step is
 * idempotent. The stack runner cannot do this itself: it probes and
 * provisions its parts on 127.0.0.1 only.
 */
export async function provisionEndpoints(
  options: ProvisionOptions,
): Promise<void> {
  const { env, stage, say } = options;
  const endpoints = readEndpoints(env);
  // Never create tables and queues on a real account by accident: a deploy
  // creates those from the same declarations through CloudFormation.
  if (!endpoints.awsEndpointUrl) {
    throw new StackError(
      'provision needs AWS_ENDPOINT_URL (a local AWS endpoint such as moto or LocalStack)',
    );
  }

  const created = await createTopics(endpoints.kafkaBrokers);
  say(`kafka  ${endpoints.kafkaBrokers.join(',')}: created ${list(created)}`);

  const config = loadServerlessConfig(stage);
  await provisionAws(
    endpoints.awsEndpointUrl,
    config.provider.region,
    config.resources?.Resources,
  );
  say(
    `aws    ${endpoints.awsEndpointUrl}: tables and queues of stage ${stage}`,
  );

  await runTool(['services/pharma/seed/seed-cli.ts'], env);
  if (env.ADMIN_EMAIL?.trim()) {
    await runTool(['functions/auth/cli.ts', 'ensure-admin'], env);
  }
}

function list(names: string[]): string {
  return names.length > 0 ? names.join(', ') : 'nothing (all exist)';
}

/** Runs one of the project's own commands, its output passed through. */
function runTool(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, args, { cwd: ROOT, env, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new StackError(`${args.join(' ')} failed (exit ${code})`)),
    );
  });
}
