// What ran while a bench/e2e server's event loop was stalled: reads the CPU profile and the stalls file a run with
// BENCH_PROFILE=1 writes into its log directory, and prints self and inclusive time per function over the stalls.
//
//   node bench/e2e/stalls.mjs <file.cpuprofile> <server.stalls.jsonl> [--top 25]
import { readFileSync } from 'node:fs';
import { arg, helpIfAsked } from '../lib/args.mjs';

helpIfAsked(import.meta.url);
const [profileFile, stallsFile] = process.argv.slice(2).filter((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const TOP = Number(arg('top', '25'));
if (!profileFile || !stallsFile) throw new Error('usage: stalls.mjs <file.cpuprofile> <server.stalls.jsonl>');

const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
const stalls = readFileSync(stallsFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const label = ({ callFrame: { functionName, url, lineNumber } }) =>
  `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|dist)\//, '$1/')}:${lineNumber + 1}`;

// Sample i ran from times[i] to times[i + 1] (µs, the same monotonic clock as process.hrtime).
const times = [];
let at = profile.startTime;
for (const delta of profile.timeDeltas) times.push((at += delta));

const self = new Map();
const inclusive = new Map();
const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
let covered = 0;
for (const { endUs, lateMs } of stalls) {
  const from = endUs - (lateMs + 10) * 1000;
  for (let i = 0; i < profile.samples.length - 1; i++) {
    if (times[i] < from || times[i] >= endUs) continue;
    const ms = (times[i + 1] - times[i]) / 1000;
    covered += ms;
    add(self, label(nodes.get(profile.samples[i])), ms);
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parents.get(id)) {
      const key = label(nodes.get(id));
      if (!seen.has(key)) add(inclusive, key, ms);
      seen.add(key);
    }
  }
}
const lates = stalls.map((s) => s.lateMs).sort((a, b) => b - a);
console.log(`${stalls.length} stalls over 50 ms, ${(lates.reduce((s, x) => s + x, 0) / 1000).toFixed(1)} s in all, longest ${lates.slice(0, 8).map((x) => x.toFixed(0)).join(', ')} ms; ${(covered / 1000).toFixed(1)} s of samples in them`);
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [key, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${ms.toFixed(0).padStart(8)} ms  ${(100 * ms / covered).toFixed(1).padStart(5)} %  ${key}`);
};
print('self time during stalls', self);
print('inclusive time during stalls', inclusive);
