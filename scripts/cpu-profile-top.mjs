// Prints the top functions of a V8 .cpuprofile (from `node --cpu-prof`, e.g. BENCH_CPU_PROF=dir npm run bench:emulator):
// self time and total (inclusive) time, as a share of the samples. `node scripts/cpu-profile-top.mjs file.cpuprofile [rows]`.
import fs from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/cpu-profile-top.mjs <file.cpuprofile> [rows]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 40);
const { nodes, samples, timeDeltas } = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Microseconds of samples per node (a sample's duration is the delta to the next one).
const selfUs = new Map();
for (let i = 0; i < samples.length; i++) selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + (timeDeltas[i + 1] ?? 0));
const label = (n) => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\/(node_modules\/|lib\/|scripts\/)/, '$1').replace(/^file:\/\//, '')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};

let total = 0;
const self = new Map();
const inclusive = new Map();
for (const [id, us] of selfUs) {
  total += us;
  const name = label(byId.get(id));
  self.set(name, (self.get(name) ?? 0) + us);
  // Each function on the stack once, however often it recurses.
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const up = label(byId.get(at));
    if (seen.has(up)) continue;
    seen.add(up);
    inclusive.set(up, (inclusive.get(up) ?? 0) + us);
  }
}
const idle = [...self].filter(([name]) => name.startsWith('(idle)')).reduce((a, [, us]) => a + us, 0);
const busy = total - idle;
const show = (title, map) => {
  console.log(`\n${title} (% of ${(busy / 1e6).toFixed(2)} s busy, idle ${(idle / 1e6).toFixed(2)} s excluded)`);
  for (const [name, us] of [...map].filter(([n]) => !n.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    console.log(`${((100 * us) / busy).toFixed(1).padStart(6)}%  ${name}`);
  }
};
show('self time', self);
show('total time', inclusive);
