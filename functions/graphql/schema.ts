import fs from 'node:fs';
import path from 'node:path';

const FILE = 'schema.graphql';

/**
 * The SDL of schema.graphql. Found next to this module when run from
 * source, and at `functions/graphql/` under the working directory when run
 * from a bundle (the function's package ships it there, serverless.yml
 * `package.patterns`); `GRAPHQL_SCHEMA_PATH` overrides both.
 */
export function readSchemaSdl(env = process.env): string {
  const candidates = [
    env.GRAPHQL_SCHEMA_PATH,
    path.join(__dirname, FILE),
    path.resolve(process.cwd(), 'functions', 'graphql', FILE),
  ].filter((candidate): candidate is string => Boolean(candidate));
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new Error(`${FILE} not found; looked in ${candidates}`);
  return fs.readFileSync(found, 'utf8');
}
