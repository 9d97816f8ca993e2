// The extension-host side of the real VS Code tests: the workbench loads this module (extensionTestsPath)
// and awaits run(). Mocha (BDD) runs every *.test.js beside it; a machine-readable summary line is printed
// for scripts/vscode-test.js, which reads it from the relayed extension host output.
import * as fs from 'fs';
import * as path from 'path';
import Mocha = require('mocha');

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}

/** Runs every *.test.js of `dir` with mocha and prints the summary line. */
export function runMochaIn(dir: string): Promise<void> {
  // Generous per-test limit: waits inside the tests poll for an outcome and never depend on machine speed.
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120000, reporter: 'spec' });
  const grep = process.env.VSCODE_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(dir).sort()) if (f.endsWith('.test.js')) mocha.addFile(path.join(dir, f));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        console.log(`EXTENSION-HOST-TESTS passed=${runner.stats?.passes ?? 0} failed=${failures}`);
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else resolve();
      });
    } catch (e) {
      console.log('EXTENSION-HOST-TESTS passed=0 failed=1');
      reject(e);
    }
  });
}
