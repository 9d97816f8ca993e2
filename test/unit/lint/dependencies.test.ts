import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { invalidateDependenciesCache, resolveDependencies } from '../../../src/core/lint/dependencies';

describe('resolveDependencies (the nearest package.json\'s runtime dependencies)', () => {
  let root = '';
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-deps-'));
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ dependencies: { 'p-limit': '^6.0.0' }, devDependencies: { 'p-queue': '^8.0.0' }, peerDependencies: { bottleneck: '^2' } }));
    fs.mkdirSync(path.join(root, 'src', 'deep'), { recursive: true });
    fs.mkdirSync(path.join(root, 'pkg'));
    fs.writeFileSync(path.join(root, 'pkg', 'package.json'), JSON.stringify({ name: 'inner' }));
    invalidateDependenciesCache();
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads dependencies and peerDependencies, not devDependencies, walking up from the file', () => {
    assert.deepStrictEqual(resolveDependencies(path.join(root, 'src', 'deep', 'a.ts'))?.sort(), ['bottleneck', 'p-limit']);
  });
  it('the nearest package.json decides, even with no dependencies', () => {
    assert.deepStrictEqual(resolveDependencies(path.join(root, 'pkg', 'b.ts')), []);
  });
  it('a changed package.json is read again after invalidation', () => {
    fs.writeFileSync(path.join(root, 'pkg', 'package.json'), JSON.stringify({ dependencies: { 'p-queue': '8' } }));
    assert.deepStrictEqual(resolveDependencies(path.join(root, 'pkg', 'b.ts')), []);
    invalidateDependenciesCache();
    assert.deepStrictEqual(resolveDependencies(path.join(root, 'pkg', 'b.ts')), ['p-queue']);
  });
});
