// Tests of the packaged .vsix, installed with `code-server --install-extension` (scripts/vscode-test.js).
import { runMochaIn } from '../index';

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
