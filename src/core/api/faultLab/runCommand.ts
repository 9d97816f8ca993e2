// Runs the app under test (`simulate -- COMMAND ARGS...`) with the SDKs pointed at the fault lab.
// Exit code: the command's own; 128 + signal number when a signal ended it; 127 when it could not be started.

import { spawn } from 'child_process';
import { constants } from 'os';

/** Stands in for a key when the environment has none, so SDK clients can be created. */
export const PLACEHOLDER_API_KEY = 'sk-ant-fault-lab-placeholder';

/** The environment the app runs in: the SDKs' base URL points at the lab; a placeholder key when none is set. */
export function labEnv(baseUrl: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, ANTHROPIC_BASE_URL: baseUrl };
  if (!out.ANTHROPIC_API_KEY) out.ANTHROPIC_API_KEY = PLACEHOLDER_API_KEY;
  return out;
}

export interface CommandResult {
  exitCode: number;
  /** Why the command did not run or how it ended abnormally, for the user. */
  reason?: string;
}

/**
 * Runs the command with inherited stdio and waits for it. SIGINT and SIGTERM received meanwhile are passed
 * on to it. On Windows the command goes through the shell so that `npm` and `.cmd` files are found.
 */
export function runCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<CommandResult> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command, [...args], { env, cwd, stdio: 'inherit', shell: process.platform === 'win32' });
    } catch (e) {
      resolve({ exitCode: 127, reason: `cannot run ${command}: ${(e as Error).message}` });
      return;
    }
    const pass = (signal: NodeJS.Signals) => () => {
      if (child.exitCode === null) child.kill(signal);
    };
    const onInt = pass('SIGINT');
    const onTerm = pass('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    let settled = false;
    const done = (result: CommandResult) => {
      if (settled) return;
      settled = true;
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(result);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') done({ exitCode: 127, reason: `command not found: ${command}` });
      else if (e.code === 'EACCES') done({ exitCode: 126, reason: `command not executable: ${command}` });
      else done({ exitCode: 127, reason: `cannot run ${command}: ${e.message}` });
    });
    child.on('exit', (code, signal) => {
      if (signal) {
        const n = (constants.signals as Record<string, number>)[signal] ?? 0;
        done({ exitCode: 128 + n, reason: `${command} was ended by ${signal}` });
      } else {
        done({ exitCode: code ?? 1 });
      }
    });
  });
}
