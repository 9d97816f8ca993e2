// The request playground's page. It knows nothing but the protocol: it edits a draft (kept with setState so
// it survives hiding and reloads), validates the JSON fields as you type, shows the host's lint findings by
// field, and renders a run (attempt timeline, streamed text, final message, rate-limit headers). Requests,
// keys and the clipboard stay in the extension host.
import { checkMessagesJson, checkRetryPolicy, checkScenarioOptionsJson, defaultDraft } from '../core/playground/draft';
import type { AttemptRecord, FieldFinding, HostToWebview, KeyStatus, RequestDraft, RunSnapshot, ScenarioSummary, WebviewState, WebviewToHost } from '../extension/protocol';
import { append, byId, clear, codiconFontStatus, field, formatMs, h, icon } from './dom';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

// ---------------------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------------------

function restoredState(): WebviewState {
  const s = vscode.getState() as Partial<WebviewState> | undefined;
  const base = defaultDraft();
  if (!s || typeof s !== 'object' || !s.draft || typeof s.draft !== 'object') return { draft: base };
  // only the known fields, each of the expected type (a state saved by an older version may differ)
  const saved = s.draft as unknown as Record<string, unknown>;
  const draft = { ...base, retry: { ...base.retry } } as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(base)) {
    if (k === 'retry' || !(k in saved)) continue;
    if (typeof saved[k] === typeof v || (k === 'maxTokens' && saved[k] === null)) draft[k] = saved[k];
  }
  const savedRetry = (saved.retry ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(base.retry)) {
    if (typeof savedRetry[k] === 'number') (draft.retry as Record<string, unknown>)[k] = savedRetry[k];
  }
  let run = s.run;
  // a run that was going when the page went away (a reload) is over; its outcome is unknown here
  if (run && run.running && !run.result) run = { ...run, running: false };
  return { draft: draft as unknown as RequestDraft, run };
}

const state: WebviewState = restoredState();
let scenarios: ScenarioSummary[] = [];
let models: string[] = [];
let keyStatus: KeyStatus = { available: false, source: null };
let findings: FieldFinding[] = [];
let lintSeq = 0;
let lintTimer: ReturnType<typeof setTimeout> | undefined;

function save(): void {
  vscode.setState({ draft: state.draft, run: state.run });
}

function post(m: WebviewToHost): void {
  vscode.postMessage(m);
}

// ---------------------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------------------

const app = byId<HTMLElement>('app');
clear(app);
app.removeAttribute('aria-busy');

const endpointSelect = h('select', {}, h('option', { value: 'simulated', text: 'Simulated (built-in, no key needed)' }), h('option', { value: 'anthropic', text: 'Anthropic API' }), h('option', { value: 'custom', text: 'Custom base URL' }));
const scenarioSelect = h('select', {});
const scenarioDescription = h('p', { class: 'hint', id: 'scenario-description' });
const scenarioOptions = h('input', { type: 'text', spellcheck: 'false', autocomplete: 'off', placeholder: '{"failures": 2}' });
const scenarioOptionsHelp = h('ul', { class: 'hint option-list' });
const baseUrlInput = h('input', { type: 'url', spellcheck: 'false', autocomplete: 'off', placeholder: 'https://gateway.example.com' });
const keyText = h('span', { id: 'key-status' });
const keyButton = h('button', { type: 'button', class: 'secondary', text: 'Set API key…' });
const modelInput = h('input', { type: 'text', spellcheck: 'false', autocomplete: 'off', list: 'model-list' });
const modelList = h('datalist', { id: 'model-list' });
const maxTokensInput = h('input', { type: 'number', min: '0', step: '1', inputmode: 'numeric' });
const systemInput = h('textarea', { rows: '3', spellcheck: 'true' });
const messagesInput = h('textarea', { rows: '10', spellcheck: 'false', class: 'code' });
const messagesStatus = h('div', { class: 'json-status', id: 'messages-status', role: 'status' });
const streamInput = h('input', { type: 'checkbox' });
const retryInputs = {
  maxAttempts: h('input', { type: 'number', min: '1', max: '20', step: '1' }),
  baseDelayMs: h('input', { type: 'number', min: '0', step: '100' }),
  maxDelayMs: h('input', { type: 'number', min: '0', step: '100' }),
  maxElapsedMs: h('input', { type: 'number', min: '0', step: '1000' }),
};
const retryStatus = h('div', { class: 'field-messages', role: 'status' });
const lintList = h('ul', { class: 'lint-list' });
const lintSummary = h('p', { class: 'hint', id: 'lint-summary', text: 'Checking the request…' });
const sendButton = h('button', { type: 'button', id: 'send', title: 'Send (Ctrl+Enter)', text: 'Send' });
const cancelButton = h('button', { type: 'button', id: 'cancel', class: 'secondary', text: 'Cancel', disabled: true });
const copyCodeButton = h('button', { type: 'button', class: 'secondary', text: 'Copy as code' });
const copyPythonButton = h('button', { type: 'button', class: 'secondary', text: 'Copy as Python' });
const copyCurlButton = h('button', { type: 'button', class: 'secondary', text: 'Copy as curl' });

const noticeBox = h('div', { class: 'notice', id: 'notice', role: 'alert', hidden: true });
const runStatus = h('p', { class: 'run-status', id: 'run-status', role: 'status', text: 'No request sent yet.' });
const timeline = h('ol', { class: 'timeline', id: 'timeline', 'aria-label': 'Attempts' });
const responseText = h('pre', { class: 'response-text', id: 'response-text', tabindex: '0', 'aria-label': 'Response text' });
const details = h('dl', { class: 'details', id: 'details' });
const headersTable = h('table', { class: 'headers', id: 'rate-limit-headers' });

const scenarioRow = h(
  'div',
  { class: 'endpoint-simulated' },
  field('scenario', 'Scenario', scenarioSelect),
  scenarioDescription,
  field('scenarioOptions', 'Scenario options (JSON, optional)', scenarioOptions),
  h('details', { class: 'option-help' }, h('summary', { text: 'Options of this scenario' }), scenarioOptionsHelp),
);
const customRow = h('div', { class: 'endpoint-custom' }, field('baseURL', 'Base URL', baseUrlInput));
const keyRow = h('div', { class: 'endpoint-key key-row' }, keyText, keyButton);

const retryFieldset = h(
  'fieldset',
  { class: 'retry' },
  h('legend', { text: 'Retry policy (the shared retry core)' }),
  h(
    'div',
    { class: 'grid' },
    field('maxAttempts', 'Attempts', retryInputs.maxAttempts),
    field('baseDelayMs', 'Base delay (ms)', retryInputs.baseDelayMs),
    field('maxDelayMs', 'Max delay (ms)', retryInputs.maxDelayMs),
    field('maxElapsedMs', 'Budget (ms)', retryInputs.maxElapsedMs),
  ),
  retryStatus,
);

const requestSection = h(
  'section',
  { class: 'request', 'aria-labelledby': 'request-heading' },
  h('h2', { id: 'request-heading', text: 'Request' }),
  h('fieldset', { class: 'endpoint' }, h('legend', { text: 'Endpoint' }), field('endpoint', 'Send to', endpointSelect), scenarioRow, customRow, keyRow),
  field('model', 'model', modelInput),
  modelList,
  field('max_tokens', 'max_tokens', maxTokensInput, 'Leave empty to send without it (the API then rejects the request).'),
  field('system', 'system', systemInput),
  field('messages', 'messages (JSON)', messagesInput),
  messagesStatus,
  h('div', { class: 'field checkbox' }, streamInput, h('label', { for: 'stream', text: 'Stream the response' })),
  retryFieldset,
  h('section', { class: 'lint', 'aria-labelledby': 'lint-heading' }, h('h3', { id: 'lint-heading', text: 'Lint findings' }), lintSummary, lintList),
  h('div', { class: 'actions' }, sendButton, cancelButton, copyCodeButton, copyPythonButton, copyCurlButton),
  h('p', { class: 'hint', text: 'Ctrl+Enter sends. The request goes out from the editor, never from this page; your API key never reaches it.' }),
);
streamInput.id = 'stream';

const responseSection = h(
  'section',
  { class: 'response', 'aria-labelledby': 'response-heading' },
  h('h2', { id: 'response-heading', text: 'Response' }),
  noticeBox,
  runStatus,
  h('h3', { text: 'Attempts' }),
  timeline,
  h('h3', { text: 'Text' }),
  responseText,
  h('h3', { text: 'Message' }),
  details,
  h('h3', { text: 'Rate-limit headers' }),
  headersTable,
);

append(app, h('header', {}, h('h1', { text: 'Claude Request Playground' })), h('div', { class: 'columns' }, requestSection, responseSection));

// ---------------------------------------------------------------------------------------------------------
// Draft ⇄ form
// ---------------------------------------------------------------------------------------------------------

function fillForm(d: RequestDraft): void {
  endpointSelect.value = d.endpoint;
  renderScenarios();
  scenarioSelect.value = d.scenario;
  scenarioOptions.value = d.scenarioOptionsJson;
  baseUrlInput.value = d.baseURL;
  modelInput.value = d.model;
  maxTokensInput.value = d.maxTokens === null ? '' : String(d.maxTokens);
  systemInput.value = d.system;
  messagesInput.value = d.messagesJson;
  streamInput.checked = d.stream;
  for (const [k, input] of Object.entries(retryInputs)) input.value = String(d.retry[k as keyof typeof retryInputs]);
  showEndpoint();
  checkJsonFields();
}

function setFieldMessages(id: string, items: Array<{ text: string; severity: string; href?: string }>): void {
  const box = document.getElementById(`${id}-messages`);
  if (!box) return;
  clear(box);
  for (const i of items) {
    append(box, h('div', { class: `msg ${i.severity}` }, i.text, i.href ? ' ' : null, i.href ? h('a', { href: i.href, text: 'docs' }) : null));
  }
  box.parentElement?.classList.toggle('has-problem', items.some((i) => i.severity === 'error'));
}

/** Reads the form into the draft; invalid numbers keep the previous value and show why. */
function readForm(): void {
  const d = state.draft;
  d.endpoint = endpointSelect.value as RequestDraft['endpoint'];
  d.scenario = scenarioSelect.value || d.scenario;
  d.scenarioOptionsJson = scenarioOptions.value;
  d.baseURL = baseUrlInput.value;
  d.model = modelInput.value;
  const mt = maxTokensInput.value.trim();
  if (mt === '') d.maxTokens = null;
  else if (/^-?\d+$/.test(mt) && Math.abs(Number(mt)) <= 1_000_000_000) d.maxTokens = Number(mt);
  d.system = systemInput.value;
  d.messagesJson = messagesInput.value;
  d.stream = streamInput.checked;
  const retry = { ...d.retry };
  for (const [k, input] of Object.entries(retryInputs)) {
    const v = input.value.trim();
    if (/^\d+$/.test(v) && Number(v) <= 86_400_000) retry[k as keyof typeof retryInputs] = Number(v);
  }
  const problems = checkRetryPolicy(retry);
  retryStatus.textContent = problems.join(' ');
  if (!problems.length) d.retry = retry;
}

function checkJsonFields(): void {
  const m = checkMessagesJson(messagesInput.value);
  if (m.ok) {
    setStatus(messagesStatus, 'check', `${m.value.length} message${m.value.length === 1 ? '' : 's'}`);
    messagesStatus.className = 'json-status ok';
    messagesInput.removeAttribute('aria-invalid');
  } else {
    const p = m.problem;
    setStatus(messagesStatus, 'error', `Line ${p.line}, column ${p.column}: ${p.message}`);
    messagesStatus.className = 'json-status error';
    messagesInput.setAttribute('aria-invalid', 'true');
  }
  const o = checkScenarioOptionsJson(scenarioOptions.value);
  if (o.ok) {
    setFieldMessages('scenarioOptions', []);
    scenarioOptions.removeAttribute('aria-invalid');
  } else {
    setFieldMessages('scenarioOptions', [{ text: `Line ${o.problem.line}, column ${o.problem.column}: ${o.problem.message}`, severity: 'error' }]);
    scenarioOptions.setAttribute('aria-invalid', 'true');
  }
  const mt = maxTokensInput.value.trim();
  if (mt !== '' && !/^-?\d+$/.test(mt)) maxTokensInput.setAttribute('aria-invalid', 'true');
  else maxTokensInput.removeAttribute('aria-invalid');
}

function onEdit(): void {
  readForm();
  checkJsonFields();
  showEndpoint();
  save();
  scheduleLint();
}

function scheduleLint(): void {
  clearTimeout(lintTimer);
  lintTimer = setTimeout(() => post({ type: 'draftChanged', seq: ++lintSeq, draft: state.draft }), 250);
}

for (const el of [scenarioOptions, baseUrlInput, modelInput, maxTokensInput, systemInput, messagesInput, ...Object.values(retryInputs)]) {
  el.addEventListener('input', onEdit);
}
for (const el of [endpointSelect, scenarioSelect, streamInput]) el.addEventListener('change', onEdit);

function showEndpoint(): void {
  const e = endpointSelect.value;
  scenarioRow.hidden = e !== 'simulated';
  customRow.hidden = e !== 'custom';
  keyRow.hidden = e === 'simulated';
  keyText.textContent = keyStatus.available
    ? `API key: set (${keyStatus.source === 'environment' ? 'from ANTHROPIC_API_KEY' : 'in secret storage'})`
    : 'API key: not set';
  keyButton.textContent = keyStatus.available ? 'Change API key…' : 'Set API key…';
  const s = scenarios.find((x) => x.name === scenarioSelect.value);
  scenarioDescription.textContent = s ? s.description : '';
  clear(scenarioOptionsHelp);
  for (const o of s?.options ?? []) append(scenarioOptionsHelp, h('li', { text: o }));
}

function renderScenarios(): void {
  const current = state.draft.scenario;
  clear(scenarioSelect);
  const names = scenarios.length ? scenarios.map((s) => s.name) : [current];
  for (const n of names) append(scenarioSelect, h('option', { value: n, text: n }));
  scenarioSelect.value = names.includes(current) ? current : names[0];
  clear(modelList);
  for (const m of models) append(modelList, h('option', { value: m }));
}

// ---------------------------------------------------------------------------------------------------------
// Lint findings
// ---------------------------------------------------------------------------------------------------------

const FIELD_IDS: Record<string, string> = { model: 'model', max_tokens: 'max_tokens', system: 'system', messages: 'messages', stream: 'stream' };

function renderFindings(): void {
  clear(lintList);
  const byField = new Map<string, FieldFinding[]>();
  for (const f of findings) byField.set(f.field, [...(byField.get(f.field) ?? []), f]);
  for (const id of Object.values(FIELD_IDS)) {
    setFieldMessages(
      id,
      (byField.get(id) ?? []).map((f) => ({ text: `${f.message} (${f.ruleId})`, severity: f.severity, href: f.docsUrl })),
    );
  }
  lintSummary.textContent = findings.length
    ? `${findings.length} finding${findings.length === 1 ? '' : 's'}; you can still send.`
    : 'No findings.';
  for (const f of findings) {
    append(
      lintList,
      h(
        'li',
        { class: f.severity },
        h('span', { class: 'sev', role: 'img', 'aria-label': f.severity }, icon(f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'info')),
        ' ',
        h('strong', { text: f.field }),
        `: ${f.message} `,
        h('a', { href: f.docsUrl, text: f.ruleId }),
      ),
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------------------

/** A status line: a codicon, then the text. */
function setStatus(el: HTMLElement, iconName: string, text: string): void {
  clear(el);
  append(el, icon(iconName), ` ${text}`);
}

function attemptLine(a: AttemptRecord, start: number): HTMLElement {
  const what =
    a.outcome === 'pending'
      ? 'in flight…'
      : a.outcome === 'ok'
        ? `${a.status ?? ''} ok`
        : a.outcome === 'cancelled'
          ? 'cancelled'
          : [a.status, a.errorType, a.errorCode].filter((x) => x !== undefined && x !== '').join(' ');
  const li = h(
    'li',
    { class: `attempt ${a.outcome}` },
    h('span', { class: 'n', text: `#${a.attempt}` }),
    h('span', { class: 'when', text: `+${formatMs(a.startedAt - start)}` }),
    h('span', { class: 'what', text: what }),
    a.durationMs !== undefined ? h('span', { class: 'took', text: formatMs(a.durationMs) }) : null,
    a.requestId ? h('code', { class: 'rid', text: a.requestId }) : null,
  );
  if (a.outcome === 'stream-error') append(li, h('div', { class: 'sub', text: 'Error inside the stream after output started: not retried (a retry would repeat the text).' }));
  else if (a.errorMessage && a.outcome === 'error') append(li, h('div', { class: 'sub', text: a.errorMessage }));
  if (a.wait) {
    append(li, h('div', { class: 'wait' }, icon('history'), ` waited ${formatMs(a.wait.ms)} (${a.wait.reason === 'retry-after' ? 'retry-after from the server' : 'backoff'})`));
  } else if (a.outcome === 'error' && a.retryable === false) {
    append(li, h('div', { class: 'sub', text: `Not retried (${a.classification ?? 'final'}).` }));
  }
  return li;
}

function renderRun(): void {
  const run = state.run;
  const running = !!run && run.running;
  sendButton.disabled = running;
  cancelButton.disabled = !running;
  clear(timeline);
  clear(details);
  clear(headersTable);
  if (!run) {
    runStatus.textContent = 'No request sent yet.';
    responseText.textContent = '';
    return;
  }
  const r = run.result;
  if (running) runStatus.textContent = `Sending to ${run.endpointLabel}…`;
  else if (!r) runStatus.textContent = `The request to ${run.endpointLabel} was interrupted (the page reloaded).`;
  else if (r.outcome === 'success') setStatus(runStatus, 'pass', `Success from ${r.endpointLabel} after ${r.attempts.length} attempt${r.attempts.length === 1 ? '' : 's'} in ${formatMs(r.totalMs)}.`);
  else if (r.outcome === 'cancelled') runStatus.textContent = `Cancelled after ${formatMs(r.totalMs)} (${r.attempts.length} attempt${r.attempts.length === 1 ? '' : 's'}).`;
  else {
    const e = r.error;
    const why = e?.giveUpReason ? ` Gave up: ${e.giveUpReason}.` : '';
    setStatus(runStatus, 'error', `${e?.midStream ? 'Stream error' : 'Error'}${e?.status ? ` ${e.status}` : ''}${e?.errorType ? ` ${e.errorType}` : ''} after ${formatMs(r.totalMs)}: ${e?.message ?? ''}${why}`);
  }
  runStatus.className = `run-status ${running ? 'running' : r?.outcome ?? ''}`;
  for (const a of run.attempts) if (a) append(timeline, attemptLine(a, run.startedAt));
  responseText.textContent = run.text;
  if (r?.message) {
    const m = r.message;
    const row = (k: string, v: string | number | undefined | null): void => {
      if (v === undefined || v === null || v === '') return;
      append(details, h('dt', { text: k }), h('dd', { text: String(v) }));
    };
    row('stop_reason', m.stop_reason ?? undefined);
    row('model', m.model);
    row('id', m.id);
    row('input_tokens', m.usage?.input_tokens);
    row('output_tokens', m.usage?.output_tokens);
    row('cache_read_input_tokens', m.usage?.cache_read_input_tokens);
    row('cache_creation_input_tokens', m.usage?.cache_creation_input_tokens);
    row('content', m.contentTypes.join(', '));
    row('total time', formatMs(r.totalMs));
  } else if (r) {
    append(details, h('dt', { text: 'total time' }), h('dd', { text: formatMs(r.totalMs) }));
  }
  const headers = r?.rateLimitHeaders ?? {};
  const names = Object.keys(headers);
  if (names.length) {
    append(headersTable, h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Header' }), h('th', { scope: 'col', text: 'Value' }))));
    const body = h('tbody');
    for (const n of names) append(body, h('tr', {}, h('td', {}, h('code', { text: n })), h('td', { text: headers[n] })));
    append(headersTable, body);
  } else {
    append(headersTable, h('caption', { text: r ? 'None in the last response.' : 'Shown when the request is over.' }));
  }
}

function showNotice(level: 'error' | 'info', message: string, action?: 'setApiKey'): void {
  clear(noticeBox);
  noticeBox.hidden = false;
  noticeBox.className = `notice ${level}`;
  append(noticeBox, h('span', { text: message }));
  if (action === 'setApiKey') {
    const b = h('button', { type: 'button', text: 'Set API key…' });
    b.addEventListener('click', () => post({ type: 'setApiKey' }));
    append(noticeBox, ' ', b);
  }
  const close = h('button', { type: 'button', class: 'icon', 'aria-label': 'Dismiss', title: 'Dismiss', text: '×' });
  close.addEventListener('click', () => {
    noticeBox.hidden = true;
  });
  append(noticeBox, close);
}

function send(): void {
  if (state.run?.running) return;
  readForm();
  save();
  noticeBox.hidden = true;
  post({ type: 'send', draft: state.draft });
}

sendButton.addEventListener('click', send);
cancelButton.addEventListener('click', () => post({ type: 'cancel' }));
copyCodeButton.addEventListener('click', () => {
  readForm();
  post({ type: 'copy', format: 'code', draft: state.draft });
});
copyPythonButton.addEventListener('click', () => {
  readForm();
  post({ type: 'copy', format: 'python', draft: state.draft });
});
copyCurlButton.addEventListener('click', () => {
  readForm();
  post({ type: 'copy', format: 'curl', draft: state.draft });
});
keyButton.addEventListener('click', () => post({ type: 'setApiKey' }));
window.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
    e.preventDefault();
    send();
  }
});

// ---------------------------------------------------------------------------------------------------------
// Messages from the host
// ---------------------------------------------------------------------------------------------------------

window.addEventListener('message', (event: MessageEvent) => {
  const m = event.data as HostToWebview;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
  switch (m.type) {
    case 'init':
      scenarios = m.scenarios;
      models = m.models;
      keyStatus = m.keyStatus;
      if (m.draft) state.draft = m.draft;
      if (m.run && (!state.run || m.run.runId >= state.run.runId || m.run.running)) state.run = m.run;
      fillForm(state.draft);
      renderRun();
      save();
      scheduleLint();
      break;
    case 'loadDraft':
      state.draft = m.draft;
      fillForm(state.draft);
      save();
      scheduleLint();
      if (m.note) showNotice('info', m.note);
      break;
    case 'lintResult':
      if (m.seq === lintSeq) {
        findings = m.findings;
        renderFindings();
      }
      break;
    case 'keyStatus':
      keyStatus = m.keyStatus;
      showEndpoint();
      break;
    case 'runStarted':
      state.run = { runId: m.runId, endpointLabel: m.endpointLabel, startedAt: m.startedAt, running: true, attempts: [], text: '' } satisfies RunSnapshot;
      renderRun();
      save();
      break;
    case 'attempt':
      if (state.run?.runId === m.runId) {
        state.run.attempts[m.attempt.attempt - 1] = m.attempt;
        renderRun();
        save();
      }
      break;
    case 'text':
      if (state.run?.runId === m.runId) {
        state.run.text += m.delta;
        responseText.textContent = state.run.text;
        save();
      }
      break;
    case 'runFinished':
      if (!state.run || state.run.runId === m.result.runId) {
        state.run = { runId: m.result.runId, endpointLabel: m.result.endpointLabel, startedAt: state.run?.startedAt ?? Date.now() - m.result.totalMs, running: false, attempts: m.result.attempts, text: m.result.text, result: m.result };
        renderRun();
        save();
        runStatus.focus();
      }
      break;
    case 'notice':
      showNotice(m.level, m.message, m.action);
      break;
  }
});

runStatus.tabIndex = -1;
fillForm(state.draft);
renderRun();
post({ type: 'ready' });
void codiconFontStatus().then((codicons) => post({ type: 'fontStatus', codicons }));
