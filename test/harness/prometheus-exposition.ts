/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: every line must be a `# HELP`,
 * a `# TYPE` or a sample of a declared family, label values must be properly quoted, values numbers, and each
 * histogram's buckets cumulative with `+Inf` equal to `_count`. Throws on the first violation.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A float as Go's `strconv.ParseFloat` reads it (what Prometheus uses): `NaN` and `Inf` in any case. */
const parseValue = (text: string, line: string) => {
  if (/^\+?inf(inity)?$/i.test(text)) return Infinity;
  if (/^-inf(inity)?$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value)) throw new Error(`not a number in: ${line}`);
  return value;
};

const parseLabels = (text: string, line: string): Record<string, string> => {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const match = /^([^=]+)="((?:[^"\\]|\\.)*)"(,|$)/.exec(rest);
    if (!match || !LABEL.test(match[1])) throw new Error(`bad labels in: ${line}`);
    if (match[1] in labels) throw new Error(`duplicate label ${match[1]} in: ${line}`);
    labels[match[1]] = match[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    rest = rest.slice(match[0].length);
  }
  return labels;
};

/** The family a sample name belongs to (`x_bucket` → histogram `x`). */
const familyOf = (families: Map<string, Family>, name: string) => {
  if (families.has(name)) return families.get(name)!;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    const base = name.endsWith(suffix) ? families.get(name.slice(0, -suffix.length)) : undefined;
    if (base && (base.type === 'histogram' || base.type === 'summary')) return base;
  }
  return undefined;
};

export const parseExposition = (text: string): Map<string, Family> => {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, Family>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ')) {
      const [familyName, ...help] = line.slice('# HELP '.length).split(' ');
      if (!NAME.test(familyName)) throw new Error(`bad metric name: ${line}`);
      const family = families.get(familyName) ?? { name: familyName, type: 'untyped' as const, help: '', samples: [] };
      family.help = help.join(' ');
      families.set(familyName, family);
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const [familyName, type] = line.slice('# TYPE '.length).split(' ');
      if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type)) throw new Error(`bad type: ${line}`);
      const family = families.get(familyName) ?? { name: familyName, type: 'untyped' as const, help: '', samples: [] };
      if (family.samples.length > 0) throw new Error(`TYPE after samples: ${line}`);
      family.type = type as Family['type'];
      families.set(familyName, family);
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const family = familyOf(families, match[1]);
    if (!family) throw new Error(`sample of an undeclared family: ${line}`);
    family.samples.push({ name: match[1], labels: parseLabels(match[2] ?? '', line), value: parseValue(match[3], line) });
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
};

const checkHistogram = (family: Family) => {
  const series = new Map<string, { buckets: [number, number][]; count?: number }>();
  const keyOf = (labels: Record<string, string>) =>
    JSON.stringify(Object.entries(labels).filter(([key]) => key !== 'le').sort());
  for (const sample of family.samples) {
    const key = keyOf(sample.labels);
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (sample.name.endsWith('_bucket')) entry.buckets.push([parseValue(sample.labels.le, sample.name), sample.value]);
    if (sample.name.endsWith('_count')) entry.count = sample.value;
  }
  for (const [key, { buckets, count }] of series) {
    const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
    sorted.forEach(([, value], index) => {
      if (index > 0 && value < sorted[index - 1][1]) throw new Error(`${family.name}${key}: buckets are not cumulative`);
    });
    const inf = sorted.at(-1);
    if (!inf || inf[0] !== Infinity || inf[1] !== count) throw new Error(`${family.name}${key}: +Inf bucket must equal _count`);
  }
};

/** The value of the one sample of `name` whose labels include `labels` (0 when there is none). */
export const sampleValue = (families: Map<string, Family>, name: string, labels: Record<string, string> = {}) => {
  const family = familyOf(families, name);
  const sample = family?.samples.find((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value));
  return sample?.value ?? 0;
};
