import type { TestProject } from 'vitest/node';
import { type StackEvent, startStack } from '../../localstack/stack';

/**
 * Brings the local stack up for the integration layer: parts already
 * running are reused, missing ones are started and, unless KEEP_STACK=1,
 * stopped again when the run ends (also when tests fail).
 */
export default async function setup(_project: TestProject) {
  const stack = await startStack({ onEvent: report });
  // Test workers are forked after this point and inherit the variables.
  Object.assign(process.env, stack.env);

  return async () => {
    if (process.env.KEEP_STACK === '1') return;
    await stack.stop();
  };
}

function report(event: StackEvent): void {
  if (event.kind === 'ready' || event.kind === 'reused') {
    process.stdout.write(
      `[stack] ${event.part} ${event.kind} at ${event.address}\n`,
    );
  }
}
