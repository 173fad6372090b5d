import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../../..');

/** Logical ids declared in resources/*.yml (CloudFormation fragments). */
function declaredResources(): string[] {
  return fs
    .readdirSync(path.join(ROOT, 'resources'))
    .filter((file) => file.endsWith('.yml'))
    .flatMap((file) => {
      const text = fs.readFileSync(path.join(ROOT, 'resources', file), 'utf8');
      // Short-form intrinsics (!GetAtt) are not plain YAML: keep them as text.
      const doc = parse(text, { customTags: [getAttTag, refTag] }) ?? {};
      return Object.keys(doc.Resources ?? {});
    });
}

const getAttTag = {
  tag: '!GetAtt',
  resolve: (value: string) => ({ 'Fn::GetAtt': value.split('.') }),
};
const refTag = { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) };

describe('serverless package', () => {
  it('produces a CloudFormation template holding every declared resource', () => {
    // Prepare
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'px-package-'));

    // Act
    const run = spawnSync(
      path.join(ROOT, 'node_modules', '.bin', 'serverless'),
      ['package', '--stage', 'ci', '--package', out],
      { cwd: ROOT, encoding: 'utf8', timeout: 180_000 },
    );

    // Assess
    expect(run.status, run.stderr || run.stdout).toBe(0);
    const template = JSON.parse(
      fs.readFileSync(
        path.join(out, 'cloudformation-template-update-stack.json'),
        'utf8',
      ),
    );
    const declared = declaredResources();
    expect(declared).toContain('OrdersTable');
    for (const logicalId of declared) {
      expect(Object.keys(template.Resources)).toContain(logicalId);
    }
    expect(template.Resources.OrdersTable.Properties.TableName).toBe(
      'pharmaexpress-ci-orders',
    );
    expect(fs.existsSync(path.join(out, 'health.zip'))).toBe(true);
  });
});
