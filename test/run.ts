/**
 * `npm test`: unit tests, then integration tests against the local stack
 * (started by test/integration/global-setup.ts when it is not running).
 * Ends with one line `N passed, N failed`, summed over both layers.
 *
 *   npm test                      both layers
 *   npm test -- --only unit       one layer
 *   npm test -- --only integration
 * Extra arguments after the options go to vitest (for example a file filter).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, '.local', 'test-results');
const LAYERS = ['unit', 'integration'] as const;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { only: { type: 'string' } },
});

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
  success: boolean;
}

function runLayer(layer: string): JsonReport | undefined {
  const output = path.join(RESULTS, `${layer}.json`);
  fs.rmSync(output, { force: true });
  process.stdout.write(`\n=== ${layer} tests\n`);
  const run = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'vitest'),
    [
      'run',
      '--project',
      layer,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${output}`,
      ...positionals,
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    },
  );
  if (!fs.existsSync(output)) {
    process.stdout.write(
      `${layer}: vitest wrote no report (exit ${run.status})\n`,
    );
    return undefined;
  }
  return JSON.parse(fs.readFileSync(output, 'utf8')) as JsonReport;
}

const layers = values.only
  ? LAYERS.filter((layer) => layer === values.only)
  : [...LAYERS];
if (layers.length === 0) {
  process.stderr.write(`--only takes ${LAYERS.join(' or ')}\n`);
  process.exit(2);
}

let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;
for (const layer of layers) {
  const report = runLayer(layer);
  if (!report) {
    broken = true;
    failed += 1;
    continue;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A file that fails to load counts no test but must still fail the run.
  if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) {
    failed += report.numFailedTestSuites;
  }
  if (!report.success) broken = true;
}

process.stdout.write(
  `\n${passed} passed, ${failed} failed, ${skipped} skipped\n`,
);
process.exit(broken || failed > 0 ? 1 : 0);
