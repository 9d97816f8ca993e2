#!/usr/bin/env node
// UI checks in a real browser inside the real VS Code: the packaged .vsix is installed into code-server
// (scripts/vscode/codeServer.js) and headless Chromium drives the workbench the way a person would.
//   editor      a copy of examples/: summarize.ts shows its squiggle, Ctrl+. offers "Add max_tokens",
//               Ctrl+Shift+M lists the finding, "Claude: Lint Workspace" (F1) fills the Problems panel with
//               findings of several files, and choosing the quick fix from the menu fixes the file;
//   playground  "Claude: Open Request Playground", a send to the simulated endpoint with a fault scenario:
//               the attempts, the waits, the streamed answer, the rate-limit headers, lint beside the request.
// Each check counts as a test. Screenshots (quick-fix.png, problems.png, playground.png) go to the
// git-ignored test-results/screenshots/, or to docs/images/ (the README's pictures) with
// VSCODE_TEST_UI_SCREENSHOTS=docs; none with VSCODE_TEST_UI_SCREENSHOTS=0. A screenshot never decides a check.
// scripts/vscode-test.js runs these after the extension-host suites (skip with VSCODE_TEST_UI=0).
// Standalone: node scripts/vscode/ui-checks.js [--vsix <file>] [--only editor|playground]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { installExtension, launchBrowser, makeRunDir, packageVsix, startCodeServer, stopOnSignal } = require('./codeServer');

const root = path.resolve(__dirname, '../..');
const imagesDir = path.join(root, process.env.VSCODE_TEST_UI_SCREENSHOTS === 'docs' ? 'docs/images' : 'test-results/screenshots');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const RULE_IDS = Object.keys(require(path.join(root, 'package.json')).contributes.configuration.properties['claudeRequestLint.rules'].properties);

/** A clean, stable window for the screenshots: no welcome page, chat, tips or blinking cursor. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.tips.enabled': false,
  'workbench.layoutControl.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'editor.cursorBlinking': 'solid',
  'editor.minimap.enabled': false,
  'editor.hover.delay': 10000,
  // the copy has no node_modules: TypeScript's own "cannot find module" errors would crowd the pictures
  'typescript.validate.enable': false,
  'javascript.validate.enable': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.showReleaseNotes': false,
  'remote.autoForwardPorts': false,
};

/** The palette lists the commands known when it opens: reopen it until the extension's command is there. */
async function runCommand(page, title, limitMs = 120000) {
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
      await input.waitFor({ state: 'hidden', timeout: 10000 });
      return;
    } catch {
      await page.keyboard.press('Escape');
      if (Date.now() > until) throw new Error(`no command "${title}" in the palette`);
    }
  }
}

/** Polls `fn` until it returns a truthy value; returns the last value (falsy when time ran out). */
async function poll(fn, limitMs, everyMs = 250) {
  const until = Date.now() + limitMs;
  let v;
  for (;;) {
    v = await fn().catch(() => undefined);
    if (v || Date.now() > until) return v;
    await sleep(everyMs);
  }
}

async function openWorkbench(page, url) {
  await page.goto(url, { timeout: 5 * 60 * 1000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 120000 });
}

async function editorChecks({ page, server, work, runDir, check, shot, lap }) {
  const folder = path.join(work, 'examples');
  // a copy outside the project: its own package.json decides the SDK version, not the project's node_modules
  fs.cpSync(path.join(root, 'examples'), folder, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
  await page.setViewportSize({ width: 1400, height: 900 });
  await openWorkbench(page, server.url(folder));
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });
  lap('editor: workbench shows examples/');

  // open src/summarize.ts with Quick Open
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 30000 });
  await input.fill('summarize.ts');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'summarize.ts' }).first().waitFor({ timeout: 30000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab', { hasText: 'summarize.ts' }).waitFor({ timeout: 30000 });
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines', { hasText: 'messages.create' }).waitFor({ timeout: 30000 });
  // the squiggle on the line of the call (line 7: `const message = await anthropic.messages.create({`)
  const box = await poll(async () => {
    const callLine = await editor.locator('.view-line', { hasText: 'messages.create' }).first().boundingBox(); // a CodeLens moves it
    for (const b of await Promise.all((await editor.locator('.squiggly-error').all()).map((s) => s.boundingBox()))) {
      if (b && b.y >= callLine.y - 2 && b.y < callLine.y + callLine.height) return b;
    }
    return undefined;
  }, 120000);
  check('summarize.ts opens with an error squiggle on the call', !!box, box ? `${Math.round(box.width)} px wide` : 'none on the line of the call');
  if (!box) return;

  // cursor on the finding, the mouse out of the way (no hover over the menu), then the quick fix menu; the
  // menu lists the actions known when it opens, so it is reopened until the extension's fix is there
  const menu = page.locator('.context-view .action-widget').first(); // (the second is an empty submenu panel)
  const menuItems = async () => (await menu.locator('.monaco-list-row .title').allTextContents()).map((t) => t.trim()).filter(Boolean);
  const openQuickFix = async () =>
    poll(async () => {
      await page.keyboard.press('Escape');
      await page.mouse.click(box.x + Math.min(12, box.width / 2), box.y + box.height / 2);
      await page.mouse.move(1300, 860);
      await page.keyboard.press('Control+.');
      await menu.locator('.monaco-list-row .title').first().waitFor({ timeout: 5000 });
      return (await menuItems()).some((t) => t.startsWith('Add max_tokens'));
    }, 60000, 500);
  await openQuickFix();
  const items = await menuItems();
  check('Ctrl+. on the finding offers the "Add max_tokens" fix', items.some((t) => t.startsWith('Add max_tokens')), items.join(' | '));
  await sleep(300); // the menu fades in
  // the editor and the menu, at a size that stays readable in the README
  const editorPart = await page.locator('.part.editor').boundingBox();
  const menuBox = await menu.boundingBox();
  await shot('quick-fix.png', editorPart && menuBox && { x: 0, y: 0, width: Math.round(Math.min(1400, Math.max(menuBox.x + menuBox.width + 40, 1000))), height: Math.round(Math.min(900, menuBox.y + menuBox.height + 30)) });
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'hidden', timeout: 10000 }).catch(() => undefined);

  // the Problems panel: first the open file's finding, then every file's after "Claude: Lint Workspace"
  const markers = page.locator('.markers-panel');
  const rowTexts = () => markers.locator('.monaco-list-row').allTextContents();
  await page.keyboard.press('Control+Shift+M');
  await markers.waitFor({ timeout: 30000 });
  const first = await poll(async () => (await rowTexts()).some((t) => t.includes('missing-max-tokens')), 30000);
  check('Ctrl+Shift+M opens the Problems panel with the finding', !!first, (await rowTexts()).join(' | ').slice(0, 160));

  // back to the editor (the panel stays open), then the workspace scan, which shows the panel when done
  await page.mouse.click(box.x + Math.min(12, box.width / 2), box.y + box.height / 2);
  await runCommand(page, 'Claude: Lint Workspace');
  await markers.waitFor({ state: 'visible', timeout: 30000 });
  // a row per file (tree level 1) with its findings below; the panel scrolls, so this reads the rows shown
  const fileNames = async () => (await markers.locator('.monaco-list-row[aria-level="1"] .label-name').allTextContents()).map((t) => t.trim());
  const files = await poll(async () => ((await fileNames()).length >= 4 ? fileNames() : undefined), 120000);
  const codes = [...new Set((await markers.locator('.marker-code').allTextContents()).map((t) => t.trim()))];
  const sources = [...new Set((await markers.locator('.marker-source').allTextContents()).map((t) => t.trim()))];
  const statusItem = ((await page.locator('.statusbar-item', { hasText: /Claude \d+/ }).first().textContent().catch(() => '')) || '').trim();
  check(
    '"Claude: Lint Workspace" lists findings of several files with their rule codes',
    !!files && codes.length >= 3 && codes.every((c) => RULE_IDS.includes(c)) && sources.join() === 'claude-request-lint',
    `${files ? files.length : 0} files shown: ${(files || []).join(', ')}; codes: ${codes.join(', ')}; source: ${sources.join(', ')}; status bar: ${statusItem}`,
  );
  // a taller panel, so the picture shows most files
  const panel = await page.locator('.part.panel').boundingBox();
  for (const sash of await page.locator('.monaco-sash.horizontal').all()) {
    const b = await sash.boundingBox();
    if (!panel || !b || Math.abs(b.y + b.height / 2 - panel.y) > 4 || b.x > panel.x + 10 || b.x + b.width < panel.x + panel.width - 10) continue;
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2, 340, { steps: 8 });
    await page.mouse.up();
    break;
  }
  await page.mouse.move(1300, 860);
  await sleep(300);
  await shot('problems.png');

  // a second scan while the Problems panel has focus keeps the panel open (it is focused, not toggled)
  // (a file row: clicking it focuses the panel without opening another editor)
  await markers.locator('.monaco-list-row[aria-level="1"]').first().click();
  await runCommand(page, 'Claude: Lint Workspace');
  await sleep(1500);
  const stillOpen = await poll(async () => ((await markers.isVisible()) ? true : undefined), 5000);
  check('"Claude: Lint Workspace" run from a focused Problems panel leaves it open', !!stillOpen);

  // choosing the fix from the menu edits the file and the squiggle goes away
  await openQuickFix();
  await menu.locator('.monaco-list-row', { hasText: 'Add max_tokens' }).first().click({ timeout: 30000 });
  const fixed = await poll(async () => (await editor.locator('.view-lines').textContent()).replace(/\u00a0/g, ' ').includes('max_tokens: 1024') && (await editor.locator('.squiggly-error').count()) === 0, 30000);
  check('choosing "Add max_tokens" in the menu fixes the file', !!fixed);
  if (!fixed) await page.screenshot({ path: path.join(runDir, 'editor-fix-failure.png') }).catch(() => undefined);
}

async function playgroundChecks({ page, server, work, check, shot, lap }) {
  const folder = path.join(work, 'playground');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'README.md'), '# Playground check\n');
  await page.setViewportSize({ width: 1500, height: 1000 });
  await openWorkbench(page, server.url(folder));
  lap('playground: workbench loaded');

  await runCommand(page, 'Claude: Open Request Playground');
  const app = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await app.locator('#send').waitFor({ timeout: 60000 });
  // the page is ready once the host answered (the scenario list is filled in)
  const loaded = await app.locator('#scenario option[value="overloaded-burst"]').waitFor({ state: 'attached', timeout: 60000 }).then(() => true, () => false);
  check('the playground page loads inside the webview', loaded, loaded ? 'scenarios listed' : 'the host never filled in the scenario list');
  if (!loaded) return;
  await runCommand(page, 'View: Close Primary Side Bar');

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
  check('the timeline shows three attempts: two 429s, then 200', attempts.length === 3 && /429/.test(attempts[0]) && /429/.test(attempts[1]) && /200/.test(attempts[2]), attempts.join(' | ').slice(0, 200));
  const waits = await app.locator('.timeline .wait').allTextContents();
  check('each 429 shows its retry-after wait', waits.length === 2 && waits.every((w) => /retry-after/.test(w)), waits.join(' | '));
  const text = (await app.locator('#response-text').textContent()) || '';
  check('the streamed answer is shown', text.startsWith('Simulated reply to: "Explain retry-after in one sentence".'), text.slice(0, 60));
  const headers = await app.locator('#rate-limit-headers tbody tr').count();
  check('rate-limit headers are listed', headers > 0, `${headers} rows`);

  // a lint finding beside the request: clear max_tokens
  await app.locator('#max_tokens').fill('');
  const linted = await app.locator('.lint-list li', { hasText: 'missing-max-tokens' }).waitFor({ timeout: 30000 }).then(() => true, () => false);
  check('lint findings show beside the request', linted, linted ? 'missing-max-tokens listed' : 'no missing-max-tokens finding after clearing max_tokens');
  await app.locator('#max_tokens').fill('1024');
  await app.locator('#lint-summary', { hasText: 'No findings' }).waitFor({ timeout: 30000 });
  await app.locator('h1').scrollIntoViewIfNeeded();
  await page.mouse.move(1100, 117); // over a heading: no hover effect in the picture
  await shot('playground.png');
}

const GROUPS = { editor: editorChecks, playground: playgroundChecks };

/**
 * Runs the UI checks against `vsix` (packaged here when not given) in a fresh code-server. Never throws;
 * resolves to { passed, failed }. Every group has its own page and a time limit; every process it started
 * (code-server's process group, Chromium) is stopped before it returns.
 */
async function runUiChecks(p, { vsix, only, log = console.log, timeoutMs = Number(process.env.VSCODE_TEST_UI_TIMEOUT_MS) || 5 * 60 * 1000, screenshots = process.env.VSCODE_TEST_UI_SCREENSHOTS !== '0' } = {}) {
  const t0 = Date.now();
  const lap = (m) => log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
  const runDir = makeRunDir(p.runsDir, 'ui-');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-request-lint-ui-'));
  const results = [];
  const check = (name, ok, detail = '') => {
    results.push({ name, ok: !!ok });
    log(`  ${ok ? '✔' : '✗'} ${name}${detail ? ` (${detail})` : ''}`);
  };
  let server;
  let browser;
  const releaseSignals = stopOnSignal(() => server);
  try {
    if (!vsix) {
      vsix = path.join(runDir, 'claude-request-lint.vsix');
      const pack = packageVsix(root, vsix);
      if (!pack.ok) throw new Error(`npm run package failed\n${pack.output}`);
    }
    const extensionsDir = path.join(runDir, 'extensions');
    installExtension(p, runDir, extensionsDir, vsix);
    const userDir = path.join(runDir, 'user-data', 'User');
    fs.mkdirSync(userDir, { recursive: true });
    fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
    server = await startCodeServer(p, { runDir, extensionsDir });
    lap(`code-server up on 127.0.0.1:${server.port} with the .vsix installed`);
    browser = await launchBrowser(p, runDir);
    for (const [name, group] of Object.entries(GROUPS)) {
      if (only && only !== name) continue;
      const page = await browser.newPage();
      const shot = async (file, clip) => {
        if (!screenshots) return;
        fs.mkdirSync(imagesDir, { recursive: true });
        await page.screenshot({ path: path.join(imagesDir, file), ...(clip ? { clip } : {}) });
        lap(`screenshot ${path.relative(root, path.join(imagesDir, file))}`);
      };
      let timer;
      const limit = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`not done within ${timeoutMs / 1000} s`)), timeoutMs)));
      try {
        const walk = group({ page, server, work, runDir, check, shot, lap });
        walk.catch(() => undefined); // after a timeout it fails once the page closes; the race reported it
        await Promise.race([walk, limit]);
      } catch (e) {
        check(`${name}: the walk-through completed`, false, e.message.split('\n')[0]);
        await page.screenshot({ path: path.join(runDir, `${name}-failure.png`) }).catch(() => undefined);
      } finally {
        clearTimeout(timer);
        await page.close().catch(() => undefined);
      }
      lap(`${name} done`);
    }
  } catch (e) {
    check('the UI checks started', false, e.message.split('\n')[0]);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    releaseSignals();
    fs.rmSync(work, { recursive: true, force: true });
    if (results.every((r) => r.ok)) fs.rmSync(runDir, { recursive: true, force: true });
    else log(`[ui] logs kept in ${runDir}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  return { passed: results.length - failed, failed };
}

module.exports = { runUiChecks };

if (require.main === module) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const { setup } = require('../vscode-setup');
  const p = setup({ log: (m) => console.log(`[setup] ${m}`) });
  const vsix = arg('--vsix');
  runUiChecks(p, { vsix: vsix && path.resolve(vsix), only: arg('--only') }).then(({ passed, failed }) => {
    console.log(`UI-CHECKS passed=${passed} failed=${failed}`);
    process.exit(failed ? 1 : 0);
  });
}
