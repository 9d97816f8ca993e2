// Starts the real VS Code (code-server's VS Code server + web workbench) on 127.0.0.1 and drives it with
// headless Chromium through playwright-core. Used by the extension-host tests, the .vsix check and `npm start`.
// Every server runs in its own process group with throwaway folders, and is stopped as a whole.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A fresh folder for one run (server state, browser profile, HOME), under `base`. */
function makeRunDir(base, prefix) {
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, prefix));
  for (const sub of ['home', 'xdg', 'user-data', 'extensions']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  return dir;
}

/** Environment that keeps the server's and the browser's side files inside the run folder. */
function isolatedEnv(runDir) {
  const xdg = path.join(runDir, 'xdg');
  return { ...process.env, HOME: path.join(runDir, 'home'), XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, XDG_CACHE_HOME: xdg };
}

function codeServerArgs(p, runDir, extensionsDir) {
  return [
    p.codeServerEntry,
    '--user-data-dir', path.join(runDir, 'user-data'),
    '--extensions-dir', extensionsDir || path.join(runDir, 'extensions'),
    '--config', path.join(runDir, 'config.yaml'),
    '--disable-telemetry',
    '--disable-update-check',
  ];
}

/** `code-server --install-extension <vsix>` into `extensionsDir`; returns the command's output. */
function installExtension(p, runDir, extensionsDir, vsix) {
  const r = spawnSync(p.node24, [...codeServerArgs(p, runDir, extensionsDir), '--install-extension', vsix], {
    env: isolatedEnv(runDir),
    encoding: 'utf8',
    timeout: 120000,
  });
  const out = `${r.stdout || ''}${r.stderr || ''}`;
  if (r.status !== 0) throw new Error(`--install-extension failed (${r.status ?? r.signal}): ${out.trim()}`);
  return out;
}

/**
 * `npm run package` into `outFile` (the production bundle and @vscode/vsce, as users get it). Returns
 * { ok, output }.
 */
function packageVsix(root, outFile) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', '--silent', 'package', '--', '--out', outFile], { cwd: root, encoding: 'utf8', timeout: 10 * 60 * 1000 });
  return { ok: r.status === 0 && fs.existsSync(outFile), output: `${r.stdout || ''}${r.stderr || ''}` };
}

/**
 * Lines of the extension host's console, relayed by the server. With the payload's `debugId` the host writes
 * each console call between START_NATIVE_LOG / END_NATIVE_LOG markers to its stdout, which the server prints
 * prefixed with `[time] [..][..][ExtensionHostConnection] <pid>`.
 */
function extensionHostRelay(onLine) {
  const prefix = /^\[\d\d:\d\d:\d\d\] \[[^\]]*\]\[[^\]]*\]\[ExtensionHostConnection\] <\d+>(?:<stderr>)? ?/;
  let buffered = '';
  let inCall = false;
  return (chunk) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const raw of lines) {
      const fromHost = prefix.test(raw);
      const line = raw.replace(prefix, '');
      if (line === 'START_NATIVE_LOG') inCall = true;
      else if (line === 'END_NATIVE_LOG') inCall = false;
      else if ((inCall || fromHost) && line !== '' && !/^\[reconnection-grace-time\]|Launched Extension Host/.test(line)) onLine(line);
    }
  };
}

/**
 * Starts code-server on a free loopback port. Options: runDir (throwaway folder), extensionsDir,
 * smokeTestDriver (lets the workbench honour a test payload), onHostLine (extension host console lines).
 */
async function startCodeServer(p, { runDir, extensionsDir, smokeTestDriver = false, onHostLine = () => {}, port } = {}) {
  port = port || (await freePort());
  const args = [
    ...codeServerArgs(p, runDir, extensionsDir),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    // the web workbench runs a payload's extensionTestsPath only when built with, or told to use, the smoke-test driver
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const child = spawn(p.node24, args, { env: isolatedEnv(runDir), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const logFile = path.join(runDir, 'code-server.log');
  const log = fs.createWriteStream(logFile);
  const relay = extensionHostRelay(onHostLine);
  child.stdout.on('data', (d) => {
    log.write(d);
    relay(d.toString());
  });
  child.stderr.on('data', (d) => log.write(d));
  let exited = false;
  child.on('exit', () => (exited = true));

  const alive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const stop = async () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    for (let i = 0; i < 50 && alive(); i++) await sleep(100);
    if (alive()) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }
    log.end();
  };
  const stopSync = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };

  const deadline = Date.now() + 60000;
  for (;;) {
    if (exited) throw new Error(`code-server exited at start; see ${logFile}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on 127.0.0.1:${port} within 60 s; see ${logFile}`);
    }
    await sleep(100);
  }
  const url = (folder, payload) =>
    `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}` + (payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '');
  return { port, pid: child.pid, url, stop, stopSync, logFile };
}

/** The VS Code server in code-server 4.139 names its remote authority 'remote'. */
const remoteUri = (absPath) => `vscode-remote://remote${absPath}`;

/** Headless Debian Chromium with a fresh profile. */
async function launchBrowser(p, runDir, { viewport } = {}) {
  const { chromium } = require(p.playwrightCore);
  return chromium.launchPersistentContext(path.join(runDir, 'chromium'), {
    executablePath: p.chromium,
    headless: true,
    env: isolatedEnv(runDir),
    viewport: viewport || { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Runs the extension tests at `testsPath` (a module exporting run()) inside the real extension host, with
 * `devPath` loaded as the extension under development and `folder` open. Resolves to the exit code the
 * workbench reports through window.codeAutomationExit (0 = all passed), or 2 when the run itself failed.
 */
async function runExtensionTests(p, { devPath, testsPath, folder, extensionsDir, timeoutMs = 10 * 60 * 1000, onHostLine, log = console.log, keepRunDir = false }) {
  const runDir = makeRunDir(p.runsDir, 'ext-tests-');
  const t0 = Date.now();
  const lap = (m) => log(`[vscode ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
  let server;
  let browser;
  let exitCode = 2;
  const releaseSignals = stopOnSignal(() => server);
  try {
    server = await startCodeServer(p, { runDir, extensionsDir, smokeTestDriver: true, onHostLine });
    lap(`code-server up on 127.0.0.1:${server.port}`);
    browser = await launchBrowser(p, runDir);
    const page = browser.pages()[0] || (await browser.newPage());
    const finished = new Promise((resolve) => {
      page.exposeFunction('codeAutomationExit', (code, logs) => {
        // the workbench's own logs, kept for a failed run
        for (const l of logs || []) {
          const f = path.join(runDir, 'workbench-logs', l.relativePath);
          fs.mkdirSync(path.dirname(f), { recursive: true });
          fs.writeFileSync(f, l.contents);
        }
        resolve(code);
      });
    });
    // debugId routes the extension host's console to the server's stdout (relayed above)
    const payload = [
      ['extensionDevelopmentPath', remoteUri(devPath)],
      ['extensionTestsPath', remoteUri(testsPath)],
      ['debugId', 'tests'],
    ];
    // a loaded machine can take minutes to serve the workbench; the limit only stops a run that hangs
    await page.goto(server.url(folder, payload), { timeout: 5 * 60 * 1000 });
    lap('workbench loading; the extension host runs the tests');
    let timer;
    const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs / 1000} s`)), timeoutMs)));
    try {
      exitCode = await Promise.race([finished, timeout]);
    } finally {
      clearTimeout(timer);
    }
    lap(`tests finished with exit code ${exitCode}`);
  } catch (e) {
    log(`[vscode] run failed: ${e.message}`);
    exitCode = 2;
  } finally {
    try {
      await browser?.close();
    } catch {}
    await server?.stop();
    releaseSignals();
    if (exitCode === 0 && !keepRunDir) fs.rmSync(runDir, { recursive: true, force: true });
    else log(`[vscode] logs kept in ${runDir}`);
  }
  return exitCode;
}

/**
 * Until the returned function is called, Ctrl+C or SIGTERM stops the code-server that `current()` gives
 * (its whole process group) before exiting, so no VS Code or browser process outlives the run.
 */
function stopOnSignal(current) {
  const onSignal = () => {
    current()?.stopSync();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}

module.exports = { startCodeServer, launchBrowser, runExtensionTests, installExtension, packageVsix, makeRunDir, remoteUri, freePort, isolatedEnv, stopOnSignal };
