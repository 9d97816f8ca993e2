import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  invalidateSdkVersionCache,
  minVersionOfRange,
  parseSdkVersion,
  resolveSdkVersion,
} from '../../../src/core/lint/sdkVersion';

describe('sdkVersion: parsing', () => {
  it('parses versions, partial versions and prereleases', () => {
    assert.deepStrictEqual(parseSdkVersion('1.12.0'), { major: 1, minor: 12, patch: 0 });
    assert.deepStrictEqual(parseSdkVersion('0.37'), { major: 0, minor: 37, patch: 0 });
    assert.deepStrictEqual(parseSdkVersion('2'), { major: 2, minor: 0, patch: 0 });
    assert.deepStrictEqual(parseSdkVersion('v0.137.4'), { major: 0, minor: 137, patch: 4 });
    assert.deepStrictEqual(parseSdkVersion('1.0.0-beta.3'), { major: 1, minor: 0, patch: 0 });
    assert.deepStrictEqual(parseSdkVersion(' ^1.2.3 '), { major: 1, minor: 2, patch: 3 });
    for (const bad of ['', 'latest', 'one.two', '1.2.3.4', '>=1 <2', null, undefined]) {
      assert.strictEqual(parseSdkVersion(bad as string), null, String(bad));
    }
  });

  it('takes the lowest version of a dependency range', () => {
    const cases: Array<[string, string | null]> = [
      ['^0.37.0', '0.37.0'],
      ['~1.2.0', '1.2.0'],
      ['1.x', '1.0.0'],
      ['1.2.x', '1.2.0'],
      ['1', '1.0.0'],
      ['0.37.2', '0.37.2'],
      ['>=0.30.0 <1', '0.30.0'],
      ['>= 0.30.0 < 1', '0.30.0'],
      ['>0.30.1', '0.30.2'],
      ['>0.30', '0.31.0'],
      ['1.2.3 - 2.0.0', '1.2.3'],
      ['^1.0.0 || ^0.50.0', '0.50.0'],
      ['workspace:^1.4.0', '1.4.0'],
      ['npm:@anthropic-ai/sdk@^0.40.1', '0.40.1'],
      ['workspace:*', null],
      ['*', null],
      ['latest', null],
      ['', null],
      ['<2', null],
      ['file:../sdk', null],
      ['github:anthropics/anthropic-sdk-typescript', null],
      ['git+https://example.com/sdk.git', null],
    ];
    for (const [range, want] of cases) assert.strictEqual(minVersionOfRange(range), want, range);
  });
});

describe('sdkVersion: resolveSdkVersion', () => {
  let tmp: string;
  const write = (rel: string, data: unknown) => {
    const p = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data));
  };
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crl-sdk-'));
    invalidateSdkVersionCache();
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('uses the nearest package.json range when nothing is installed', () => {
    write('app/package.json', { dependencies: { '@anthropic-ai/sdk': '^0.37.0' } });
    write('app/src/deep/x.ts', '');
    assert.strictEqual(resolveSdkVersion(path.join(tmp, 'app/src/deep/x.ts')), '0.37.0');
  });

  it('looks in devDependencies and peerDependencies, and past package.json files that do not declare it', () => {
    write('repo/package.json', { devDependencies: { '@anthropic-ai/sdk': '~1.2.0' } });
    write('repo/packages/lib/package.json', { name: 'lib', dependencies: { other: '1.0.0' } });
    write('repo/packages/peer/package.json', { peerDependencies: { '@anthropic-ai/sdk': '>=0.50.0' } });
    assert.strictEqual(resolveSdkVersion(path.join(tmp, 'repo/packages/lib/index.ts')), '1.2.0');
    assert.strictEqual(resolveSdkVersion(path.join(tmp, 'repo/packages/peer/index.ts')), '0.50.0');
  });

  it('takes the nearest answer: an installed version in the same directory beats its range, a nearer range beats an SDK installed above', () => {
    write('repo/package.json', { dependencies: { '@anthropic-ai/sdk': '^1.0.0' } });
    write('repo/node_modules/@anthropic-ai/sdk/package.json', { name: '@anthropic-ai/sdk', version: '1.12.0' });
    write('repo/src/y.ts', '');
    assert.strictEqual(resolveSdkVersion(path.join(tmp, 'repo/src/y.ts')), '1.12.0');
    // a sub-package on another major, not installed yet: the SDK hoisted above is not the one it will get
    write('repo/packages/a/package.json', { dependencies: { '@anthropic-ai/sdk': '^0.37.0' } });
    assert.strictEqual(resolveSdkVersion(path.join(tmp, 'repo/packages/a/src/x.ts')), '0.37.0');
    // a range with no lower bound says nothing: the installed SDK above answers
    write('repo/packages/w/package.json', { dependencies: { '@anthropic-ai/sdk': 'workspace:*' } });
    assert.strictEqual(resolveSdkVersion(path.join(tmp, 'repo/packages/w/x.ts')), '1.12.0');
    write('repo/packages/a/node_modules/@anthropic-ai/sdk/package.json', { version: '0.37.4' });
    invalidateSdkVersionCache(path.join(tmp, 'repo/packages'));
    assert.strictEqual(resolveSdkVersion(path.join(tmp, 'repo/packages/a/src/x.ts')), '0.37.4');
  });

  it('returns null without any information, or for ranges without a lower bound', () => {
    write('empty/x.ts', '');
    const above = resolveSdkVersion(tmp); // whatever is above the temporary directory (normally nothing)
    assert.strictEqual(resolveSdkVersion(path.join(tmp, 'empty/x.ts')), above);
    write('ws/package.json', { dependencies: { '@anthropic-ai/sdk': 'workspace:*' } });
    if (above === null) assert.strictEqual(resolveSdkVersion(path.join(tmp, 'ws/x.ts')), null);
    write('broken/package.json', '{ not json');
    assert.strictEqual(resolveSdkVersion(path.join(tmp, 'broken/x.ts')), above);
  });

  it('caches per directory until invalidated', () => {
    write('p/package.json', { dependencies: { '@anthropic-ai/sdk': '^0.40.0' } });
    const file = path.join(tmp, 'p/src/x.ts');
    assert.strictEqual(resolveSdkVersion(file), '0.40.0');
    write('p/package.json', { dependencies: { '@anthropic-ai/sdk': '^1.3.0' } });
    assert.strictEqual(resolveSdkVersion(file), '0.40.0', 'cached');
    invalidateSdkVersionCache(path.join(tmp, 'p'));
    assert.strictEqual(resolveSdkVersion(file), '1.3.0');
  });
});
