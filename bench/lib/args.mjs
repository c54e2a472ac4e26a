// Command-line options shared by the bench runners: `--name value`, with a fallback when absent.
import { readFileSync } from 'node:fs';

/** The value after `--name`, or `fallback`. */
export const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
};

/** Whether `--name` is present (a switch without a value). */
export const flag = (name) => process.argv.includes(`--${name}`);

/** `--name 1,2,3` as numbers. */
export const numbers = (name, fallback) => String(arg(name, fallback)).split(',').filter(Boolean).map(Number);

/** With `--help`: prints the runner's leading comment (its usage) and exits. */
export const helpIfAsked = (moduleUrl) => {
  if (!flag('help')) return;
  const lines = readFileSync(new URL(moduleUrl), 'utf8').split('\n');
  const end = lines.findIndex((line) => !line.startsWith('//'));
  console.log(lines.slice(0, end < 0 ? lines.length : end).map((line) => line.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
};
