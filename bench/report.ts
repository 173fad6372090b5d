import fs from 'node:fs';
import path from 'node:path';

/** One figure beside the floor it is measured against, in the same run. */
export interface Row {
  benchmark: string;
  figure: string;
  value: number | null;
  floor: string;
  floorValue: number | null;
  unit: string;
  settings: string;
}

export interface Results {
  startedAt: string;
  finishedAt: string;
  machine: Record<string, unknown>;
  versions: Record<string, string>;
  settings: Record<string, unknown>;
  rows: Row[];
  /** Benchmarks that failed, with their error; their rows are missing. */
  errors: Record<string, string>;
  /** Every run's figures, by benchmark, for a second look. */
  raw: Record<string, unknown>;
}

const fmt = (value: number | null) => (value === null ? '—' : String(value));

export function printRow(row: Row): void {
  process.stdout.write(
    `  ${row.benchmark} ${row.figure}: ${fmt(row.value)} ${row.unit}` +
      `   (floor, ${row.floor}: ${fmt(row.floorValue)} ${row.unit})\n`,
  );
}

export function markdown(results: Results): string {
  const lines = [
    `# Benchmark results, ${results.finishedAt}`,
    '',
    `Machine: ${Object.entries(results.machine)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ')}.`,
    '',
    `Versions: ${Object.entries(results.versions)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ')}.`,
    '',
    `Settings: ${Object.entries(results.settings)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ')}.`,
    '',
    '| benchmark | figure | value | floor | floor value | settings |',
    '|---|---|---|---|---|---|',
    ...results.rows.map(
      (row) =>
        `| ${row.benchmark} | ${row.figure} | ${fmt(row.value)} ${row.unit} | ${row.floor} | ${fmt(row.floorValue)} ${row.unit} | ${row.settings} |`,
    ),
    '',
    ...Object.entries(results.errors).map(
      ([name, message]) => `Failed: ${name}: ${message}`,
    ),
  ];
  return lines.join('\n');
}

export function writeResults(results: Results): string {
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'latest.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  fs.writeFileSync(path.join(dir, 'latest.md'), markdown(results));
  return dir;
}
