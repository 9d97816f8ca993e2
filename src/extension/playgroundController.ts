// The playground's message handling, without `vscode`: validates each message from the webview, lints
// drafts, runs requests through the session and reports back. The panel (playgroundPanel.ts) gives it the
// editor's services (posting to the webview, the key, the clipboard); tests give it plain functions.
// The key is only ever handed to the session; as a second line of defence, every outgoing message is
// checked and any occurrence of the key is masked.
import type { LintConfig } from '../core/lint';
import { isRetiredOn } from '../core/api/modelLifecycle';
import { MODELS } from '../core/api/models';
import { SCENARIOS, COMMON_SCENARIO_OPTIONS } from '../core/api/simulatedServer';
import { lintDraft } from '../core/playground/lintDraft';
import { PlaygroundSession, endpointLabel } from '../core/playground/session';
import { codeSnippet, curlSnippet, pythonSnippet } from '../core/playground/snippets';
import type { KeyStatus, RequestDraft, RunResult, ScenarioSummary } from '../core/playground/types';
import { validateWebviewMessage, type HostToWebview, type RunSnapshot } from './protocol';

export interface ApiKey {
  key: string;
  source: 'secret-storage' | 'environment';
}

/** What the controller needs from its surroundings. */
export interface ControllerHost {
  /** Delivers a message to the webview (may be dropped while the panel is hidden). */
  post(message: HostToWebview): void;
  /** The API key, from SecretStorage or the environment. */
  getApiKey(): Promise<ApiKey | undefined>;
  /** Puts text on the clipboard. */
  copy(text: string): Promise<void>;
  /** Asks the user for a key (the Set API Key command). */
  setApiKey(): Promise<void>;
  /** The lint configuration for drafts (settings). */
  lintConfig?(): LintConfig | undefined;
  log(message: string): void;
}

export const MASK = '[hidden]';

export function scenarioSummaries(): ScenarioSummary[] {
  return SCENARIOS.map((s) => ({
    name: s.name,
    description: s.description,
    options: [...s.options, ...COMMON_SCENARIO_OPTIONS].map(
      (o) => `${o.name}${o.default !== undefined ? ` (${JSON.stringify(o.default)})` : ''}: ${o.description}`,
    ),
  }));
}

/** The models the playground offers: one ID per model, leaving out models retired on `now`'s day (UTC). */
export function modelIds(now: Date = new Date()): string[] {
  const day = now.toISOString().slice(0, 10);
  return MODELS.filter((m) => !m.ids.some((id) => isRetiredOn(id, day))).map((m) => m.ids[0]);
}

/** Replaces every occurrence of each secret in a JSON-able value. */
export function maskSecrets<T>(value: T, secrets: Iterable<string>): T {
  const list = [...secrets].filter((s) => s.length >= 4);
  if (!list.length) return value;
  const text = JSON.stringify(value);
  if (text === undefined || !list.some((s) => text.includes(s))) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return list.reduce((acc, s) => acc.split(s).join(MASK), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

export class PlaygroundController {
  private runId = 0;
  private abort: AbortController | undefined;
  private run: RunSnapshot | null = null;
  private pendingDraft: { draft: RequestDraft; note?: string } | null = null;
  private readonly secrets = new Set<string>();
  private disposed = false;
  /** The run in progress, for callers that wait for it (tests). */
  running: Promise<RunResult> | undefined;

  constructor(
    private readonly host: ControllerHost,
    readonly session: PlaygroundSession,
  ) {}

  private post(message: HostToWebview): void {
    if (this.disposed) return;
    try {
      this.host.post(maskSecrets(message, this.secrets));
    } catch (e) {
      this.host.log(`Playground: could not post "${message.type}": ${(e as Error).message}`);
    }
  }

  private async key(): Promise<ApiKey | undefined> {
    const k = await this.host.getApiKey();
    if (k?.key) this.secrets.add(k.key);
    return k;
  }

  async keyStatus(): Promise<KeyStatus> {
    const k = await this.key();
    return k ? { available: true, source: k.source } : { available: false, source: null };
  }

  async refreshKeyStatus(): Promise<void> {
    this.post({ type: 'keyStatus', keyStatus: await this.keyStatus() });
  }

  /** The run as the webview should show it (the last one, finished or not). */
  snapshot(): RunSnapshot | null {
    return this.run ? { ...this.run, attempts: this.run.attempts.map((a) => ({ ...a })) } : null;
  }

  /** Shows a draft in the webview: now, and again with `init` if the page is (re)loading. */
  loadDraft(draft: RequestDraft, note?: string): void {
    this.pendingDraft = { draft, note };
    this.post(note ? { type: 'loadDraft', draft, note } : { type: 'loadDraft', draft });
  }

  /**
   * The draft saved by the page before a reload (already validated): handed back with `init`, so the page
   * shows the draft the host checked. Nothing is posted now (the page is still loading).
   */
  restoreDraft(draft: RequestDraft): void {
    this.pendingDraft = { draft };
  }

  /** Handles one message from the webview; a bad one is answered with an error notice. */
  async handle(raw: unknown): Promise<void> {
    const v = validateWebviewMessage(raw);
    if (!v.ok) {
      this.host.log(`Playground: rejected a message from the webview: ${v.reason}`);
      this.post({ type: 'notice', level: 'error', message: `The playground rejected a message: ${v.reason}` });
      return;
    }
    const m = v.value;
    try {
      switch (m.type) {
        case 'ready': {
          const pending = this.pendingDraft;
          this.pendingDraft = null;
          this.post({
            type: 'init',
            scenarios: scenarioSummaries(),
            models: modelIds(),
            keyStatus: await this.keyStatus(),
            draft: pending ? pending.draft : null,
            run: this.snapshot(),
          });
          if (pending?.note) this.post({ type: 'notice', level: 'info', message: pending.note });
          return;
        }
        case 'draftChanged': {
          const findings = lintDraft(m.draft, this.host.lintConfig?.());
          this.post({ type: 'lintResult', seq: m.seq, findings });
          return;
        }
        case 'send':
          await this.send(m.draft);
          return;
        case 'cancel':
          if (this.abort && !this.abort.signal.aborted) this.abort.abort();
          else this.post({ type: 'notice', level: 'info', message: 'No request is running.' });
          return;
        case 'copy': {
          const text = m.format === 'code' ? codeSnippet(m.draft) : m.format === 'python' ? pythonSnippet(m.draft) : curlSnippet(m.draft, await this.session.simulatedUrl());
          await this.host.copy(text);
          const what = { code: 'TypeScript (withRetry)', python: 'Python (with_retry from claude_retry.py, key from os.environ)', curl: 'a curl command (key as $ANTHROPIC_API_KEY)' }[m.format];
          this.post({ type: 'notice', level: 'info', message: `Copied the request as ${what}.` });
          return;
        }
        case 'setApiKey':
          await this.host.setApiKey();
          await this.refreshKeyStatus();
          return;
        case 'fontStatus':
          if (m.codicons === 'failed') this.host.log('Playground: the codicon font did not load; icons show as blank squares.');
          return;
      }
    } catch (e) {
      this.host.log(`Playground: ${m.type} failed: ${(e as Error)?.stack ?? e}`);
      this.post({ type: 'notice', level: 'error', message: `${m.type} failed: ${(e as Error)?.message ?? String(e)}` });
    }
  }

  /** Starts a run and resolves when it is over. Refused (with a notice) while another run is going. */
  async send(draft: RequestDraft): Promise<RunResult | undefined> {
    if (this.running) {
      this.post({ type: 'notice', level: 'error', message: 'A request is already running: cancel it or wait for it to finish.' });
      return undefined;
    }
    let apiKey: string | undefined;
    if (draft.endpoint !== 'simulated') {
      apiKey = (await this.key())?.key;
      // a custom base URL may be a keyless gateway: it is sent without a key
      if (!apiKey && draft.endpoint === 'anthropic') {
        this.post({
          type: 'notice',
          level: 'error',
          message: `No API key for ${endpointLabel(draft)}: set one (stored in VS Code's secret storage) or set ANTHROPIC_API_KEY, or use the simulated endpoint.`,
          action: 'setApiKey',
        });
        return undefined;
      }
    }
    const runId = ++this.runId;
    const abort = new AbortController();
    this.abort = abort;
    const startedAt = Date.now();
    const snap: RunSnapshot = { runId, endpointLabel: endpointLabel(draft), startedAt, running: true, attempts: [], text: '' };
    this.run = snap;
    this.post({ type: 'runStarted', runId, endpointLabel: snap.endpointLabel, startedAt });
    const promise = this.session.run(draft, {
      runId,
      apiKey,
      signal: abort.signal,
      listener: {
        onAttempt: (a) => {
          snap.attempts[a.attempt - 1] = a;
          this.post({ type: 'attempt', runId, attempt: a });
        },
        onText: (delta) => {
          snap.text += delta;
          this.post({ type: 'text', runId, delta });
        },
      },
    });
    this.running = promise;
    try {
      const result = await promise;
      snap.running = false;
      snap.result = result;
      snap.attempts = result.attempts;
      snap.text = result.text;
      this.host.log(`Playground: run ${runId} to ${result.endpointLabel}: ${result.outcome} after ${result.attempts.length} attempt(s), ${result.totalMs} ms`);
      this.post({ type: 'runFinished', result });
      return result;
    } finally {
      this.running = undefined;
      if (this.abort === abort) this.abort = undefined;
    }
  }

  /** Cancels a run in progress (the panel closed). */
  dispose(): void {
    this.abort?.abort();
    this.disposed = true;
  }
}
