#!/usr/bin/env node
// The request playground's page in a real browser inside the real VS Code (code-server + headless Chromium,
// the set-up of scripts/vscode-setup.js): opens the playground from the command palette, sends to the
// simulated endpoint with a fault scenario, checks that the page shows the attempts and the answer, and saves
// a screenshot to docs/images/playground.png. Last line: `PLAYGROUND-UI passed=N failed=M`.
// Usage: node scripts/playground-ui.js [--no-screenshot]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const screenshot = path.join(root, 'docs/images/playground.png');
const t0 = Date.now();
const lap = (m) => console.log(`[playground-ui ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

function buildIfMissing() {
  if (fs.existsSync(path.join(root, 'dist/extension.js')) && fs.existsSync(path.join(root, 'dist/webview.js'))) return;
  const r = spawnSync(process.execPath, [path.join(root, 'esbuild.js')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

async function run() {
  const { setup } = require('./vscode-setup');
  const { startCodeServer, launchBrowser, makeRunDir, remoteUri } = require('./vscode/codeServer');
  const p = setup({ log: (m) => console.log(`[setup] ${m}`) });
  buildIfMissing();
  const runDir = makeRunDir(p.runsDir, 'playground-ui-');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-request-lint-ui-'));
  const folder = path.join(work, 'workspace');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'README.md'), '# Playground check\n');
  let server;
  let browser;
  let page;
  const checks = [];
  const check = (name, ok, detail = '') => {
    checks.push({ name, ok });
    console.log(`  ${ok ? '✔' : '✗'} ${name}${detail ? ` (${detail})` : ''}`);
  };
  try {
    // a clean window for the screenshot: no welcome page, no secondary side bar
    const userDir = path.join(runDir, 'user-data', 'User');
    fs.mkdirSync(userDir, { recursive: true });
    fs.writeFileSync(
      path.join(userDir, 'settings.json'),
      JSON.stringify({
        'workbench.startupEditor': 'none',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'workbench.colorTheme': 'Default Dark Modern',
        'workbench.tips.enabled': false,
      }),
    );
    server = await startCodeServer(p, { runDir, smokeTestDriver: true });
    lap(`code-server up on 127.0.0.1:${server.port}`);
    browser = await launchBrowser(p, runDir, { viewport: { width: 1500, height: 1000 } });
    page = browser.pages()[0] || (await browser.newPage());
    // The workbench loads a development extension together with a tests module; this one only holds the
    // extension host open while the page is driven (the browser closes before it would return).
    const hold = path.join(runDir, 'hold.js');
    fs.writeFileSync(hold, 'exports.run = () => new Promise((resolve) => setTimeout(resolve, 15 * 60 * 1000));\n');
    await page.goto(server.url(folder, [['extensionDevelopmentPath', remoteUri(root)], ['extensionTestsPath', remoteUri(hold)]]));
    await page.waitForSelector('.monaco-workbench', { timeout: 120000 });
    lap('workbench loaded');

    // The palette lists the commands known when it opens: reopen it until the extension's command is there.
    const runCommand = async (title, limitMs = 120000) => {
      const until = Date.now() + limitMs;
      for (;;) {
        await page.keyboard.press('F1');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ timeout: 30000 });
        await input.fill(`>${title}`);
        const item = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
        try {
          await item.waitFor({ timeout: 3000 });
          await page.keyboard.press('Enter');
          return;
        } catch (e) {
          await page.keyboard.press('Escape');
          if (Date.now() > until) throw new Error(`no command "${title}" in the palette`);
        }
      }
    };
    await runCommand('Claude: Open Request Playground');
    const app = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await app.locator('#send').waitFor({ timeout: 60000 });
    // the page is ready once the host answered (the scenario list is filled in)
    await app.locator('#scenario option[value="overloaded-burst"]').waitFor({ state: 'attached', timeout: 60000 });
    check('the playground page loads inside the webview', true);
    await runCommand('View: Close Primary Side Bar');

    await app.locator('#endpoint').selectOption('simulated');
    await app.locator('#scenario').selectOption('rate-limited');
    await app.locator('#scenarioOptions').fill('{"failures": 2, "retryAfter": 0.4}');
    await app.locator('#messages').fill(JSON.stringify([{ role: 'user', content: 'Explain retry-after in one sentence' }], null, 2));
    await app.locator('#maxAttempts').fill('4');
    const status = await app.locator('#messages-status').textContent();
    check('the messages editor validates as you type', /1 message/.test(status || ''), status);
    await app.locator('#messages').press('Control+Enter');
    await app.locator('.run-status.success').waitFor({ timeout: 60000 });
    const attempts = await app.locator('.timeline .attempt').allTextContents();
    check('the timeline shows three attempts: two 429s, then 200', attempts.length === 3 && /429/.test(attempts[0]) && /429/.test(attempts[1]) && /200/.test(attempts[2]), attempts.join(' | '));
    const waits = await app.locator('.timeline .wait').allTextContents();
    check('each 429 shows its retry-after wait', waits.length === 2 && waits.every((w) => /retry-after/.test(w)), waits.join(' | '));
    const text = (await app.locator('#response-text').textContent()) || '';
    check('the streamed answer is shown', text.startsWith('Simulated reply to: "Explain retry-after in one sentence".'), text.slice(0, 60));
    const headers = await app.locator('#rate-limit-headers tbody tr').count();
    check('rate-limit headers are listed', headers > 0, `${headers} rows`);

    // a lint finding beside the request: clear max_tokens
    await app.locator('#max_tokens').fill('');
    await app.locator('.lint-list li', { hasText: 'missing-max-tokens' }).waitFor({ timeout: 30000 });
    check('lint findings show beside the request', true);
    await app.locator('#max_tokens').fill('1024');
    await app.locator('#lint-summary', { hasText: 'No findings' }).waitFor({ timeout: 30000 });

    if (!process.argv.includes('--no-screenshot')) {
      await app.locator('h1').scrollIntoViewIfNeeded();
      fs.mkdirSync(path.dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot });
      lap(`screenshot saved to ${path.relative(root, screenshot)}`);
    }
  } catch (e) {
    check('the run completed', false, e.message.split('\n')[0]);
    await page?.screenshot({ path: path.join(runDir, 'failure.png') }).catch(() => undefined);
  } finally {
    try {
      await browser?.close();
    } catch {}
    await server?.stop();
    fs.rmSync(work, { recursive: true, force: true });
    if (checks.every((c) => c.ok)) fs.rmSync(runDir, { recursive: true, force: true });
    else console.log(`[playground-ui] logs kept in ${runDir}`);
  }
  const failed = checks.filter((c) => !c.ok).length;
  console.log(`PLAYGROUND-UI passed=${checks.length - failed} failed=${failed}`);
  process.exit(failed ? 1 : 0);
}

run().catch((e) => {
  console.log(e.stack || e.message);
  console.log('PLAYGROUND-UI passed=0 failed=1');
  process.exit(1);
});
