// Extension benchmark (prints figures; not a timed test). Run: `npm run bench -- extension`.
//   - VSIX size: packages the extension as it ships (`npm run package`) and prints the size and the
//     largest files inside it.
//   - Activation time: starts the real VS Code of the test harness (code-server's VS Code, headless
//     Chromium) a few times with only the activation test, and prints what the extension measured for its
//     own activate() (the lint engine and parser load lazily, on the first lint, not during activation).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

const root = path.resolve(__dirname, '..', '..');
const runs = Number(process.env.BENCH_ACTIVATION_RUNS || 3);

/** The entries of a zip file (name and uncompressed size), read from its central directory. */
function zipEntries(file: string): { name: string; size: number; compressed: number }[] {
  const buf = fs.readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    const compressed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    out.push({ name: buf.toString('utf8', at + 46, at + 46 + nameLen), size, compressed });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function vsixSize(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-bench-vsix-'));
  const vsix = path.join(dir, 'claude-request-lint.vsix');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', '--silent', 'package', '--', '--out', vsix], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0 || !fs.existsSync(vsix)) {
    console.log(`VSIX: packaging failed (exit ${r.status})\n${(r.stderr || '').slice(-2000)}`);
    return;
  }
  const size = fs.statSync(vsix).size;
  const entries = zipEntries(vsix).sort((a, b) => b.compressed - a.compressed);
  console.log(`VSIX size: ${(size / 1024 / 1024).toFixed(2)} MB (${size} bytes, ${entries.length} files; limit 2 MB)`);
  for (const e of entries.slice(0, 6)) {
    console.log(`  ${e.name.padEnd(48)} ${(e.compressed / 1024).toFixed(0).padStart(6)} KB packed, ${(e.size / 1024).toFixed(0).padStart(6)} KB`);
  }
  const bundle = entries.find((e) => e.name.endsWith('dist/extension.js'));
  if (bundle) {
    const text = fs.readFileSync(path.join(root, 'dist/extension.js'));
    console.log(`  dist/extension.js gzip: ${(zlib.gzipSync(text).length / 1024).toFixed(0)} KB`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function activation(): void {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/vscode-test.js')], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      env: { ...process.env, VSCODE_TEST_GREP: 'activation', VSCODE_TEST_VSIX: '0', VSCODE_TEST_UI: '0' },
    });
    const m = /activation took ([\d.]+) ms/.exec(r.stdout || '');
    if (!m) {
      console.log(`activation: run ${i + 1} gave no figure (exit ${r.status}); is the real VS Code set up? (npm test sets it up)`);
      continue;
    }
    times.push(Number(m[1]));
  }
  if (!times.length) return;
  times.sort((a, b) => a - b);
  console.log(
    `activation (activate() in the real extension host, ${times.length} cold starts): ` +
      `p50 ${percentile(times, 50).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms [${times.map((t) => t.toFixed(1)).join(', ')}]`,
  );
}

console.log(`# extension benchmark (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})`);
vsixSize();
activation();
