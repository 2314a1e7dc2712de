#!/usr/bin/env node
// Summarises a V8 CPU profile (node --cpu-prof): self time by area (our code, each package,
// Node internals, GC, idle) and the top functions by self time.
// Usage: node bench/profile-summary.mjs <file.cpuprofile> [top=30]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
/** @type {{ nodes: { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }} */
const profile = JSON.parse(readFileSync(file, 'utf8'));

/** Which area a frame belongs to. @param {{ functionName: string, url: string }} frame */
function areaOf(frame) {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8 builtins)';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return `pkg ${pkg[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  if (/\/dist[^/]*\/|\/src\//.test(url)) return 'our code';
  return url;
}

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
/** @type {Map<number, number>} µs of self time per node */
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i + 1] ?? 0; // a sample's time runs until the next one
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
}
const totalUs = [...self.values()].reduce((a, b) => a + b, 0);

/** @type {Map<string, number>} */
const areas = new Map();
/** @type {Map<string, { us: number, area: string }>} */
const functions = new Map();
for (const [id, us] of self) {
  const frame = /** @type {any} */ (byId.get(id)).callFrame;
  const area = areaOf(frame);
  areas.set(area, (areas.get(area) ?? 0) + us);
  const where = frame.url ? `${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(bench\/\.server\/)?dist[^/]*\//, 'dist/')}:${frame.lineNumber + 1}` : '';
  const key = `${frame.functionName || '(anonymous)'} ${where}`;
  const f = functions.get(key) ?? { us: 0, area };
  f.us += us;
  functions.set(key, f);
}

const pct = (/** @type {number} */ us) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%`;
const busyUs = totalUs - (areas.get('(idle)') ?? 0);
console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s sampled, ${(busyUs / 1e6).toFixed(1)} s busy (not idle)\n`);
console.log('self time by area (share of all samples; share of busy time):');
for (const [area, us] of [...areas].sort((a, b) => b[1] - a[1])) {
  console.log(`  ${pct(us)}  ${area === '(idle)' ? '     ' : `${((100 * us) / busyUs).toFixed(1).padStart(4)}%`}  ${area}`);
}
console.log(`\ntop ${top} functions by self time:`);
for (const [key, f] of [...functions].sort((a, b) => b[1].us - a[1].us).slice(0, top)) {
  console.log(`  ${pct(f.us)}  ${key}  [${f.area}]`);
}
