// The fault simulator in the editor: one fault lab server (the simulated Messages API with its request log
// and verdicts) shared with the playground's built-in endpoint. Commands start it with a scenario, open a
// terminal whose environment points the SDKs at it, and stop it, offering to save the report. A status bar
// item shows it while it runs. The core loads when the lab first starts.
import * as vscode from 'vscode';
import type { FaultLab } from '../core/api/faultLab/lab';
import type { LabReport } from '../core/api/faultLab/requestLog';
import type { SimulatedServer } from '../core/api/simulatedServer';
import type { TimelineMessage } from './faultLabView';

export const FAULT_LAB_COMMANDS = {
  start: 'claudeRequestLint.startFaultSimulator',
  openTerminal: 'claudeRequestLint.openSimulatorTerminal',
  stop: 'claudeRequestLint.stopFaultSimulator',
} as const;

/** Stands in for a key in the terminal when the editor's environment has none. */
const PLACEHOLDER_API_KEY = 'sk-ant-fault-lab-placeholder';

type LabModule = typeof import('../core/api/faultLab/lab');
type ServerModule = typeof import('../core/api/simulatedServer');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const labModule = (): LabModule => require('../core/api/faultLab/lab') as LabModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const serverModule = (): ServerModule => require('../core/api/simulatedServer') as ServerModule;
type TimelineModule = typeof import('../core/api/faultLab/timeline');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const timelineModule = (): TimelineModule => require('../core/api/faultLab/timeline') as TimelineModule;

/** What Start returns (used by tests and other commands). */
export interface FaultLabStarted {
  url: string;
  scenario: string;
  options: Record<string, unknown>;
  statusBarText: string;
}

/** Parses `key=value key=value` (values as JSON where they are JSON), as `simulate --option` does. */
export function parseOptionList(text: string): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const at = part.indexOf('=');
    if (at <= 0) throw new Error(`"${part}" is not key=value.`);
    const raw = part.slice(at + 1);
    let value: number | string | boolean = raw;
    try {
      const v: unknown = JSON.parse(raw);
      if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') value = v;
    } catch {
      // plain text
    }
    out[part.slice(0, at)] = value;
  }
  return out;
}

export class FaultLabHost implements vscode.Disposable {
  private lab: Promise<FaultLab> | undefined;
  /** The scenario the user started; undefined while only the playground uses the server. */
  private active: { scenario: string; options: Record<string, unknown> } | undefined;
  private readonly item = vscode.window.createStatusBarItem('claudeRequestLint.faultLab', vscode.StatusBarAlignment.Left, 9);
  private terminals: vscode.Terminal[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** A request was answered, or the simulator started or stopped. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: (msg: string) => void) {
    this.item.name = 'Claude Fault Simulator';
    this.item.command = FAULT_LAB_COMMANDS.stop;
  }

  /** The one server, started on first use (by the playground or Start) with scenario "ok". */
  private ensure(): Promise<FaultLab> {
    if (!this.lab) {
      this.lab = labModule().startFaultLab({ host: '127.0.0.1', port: 0, onRequest: (r) => {
          this.log(`Fault lab: #${r.index} ${r.method} ${r.path} ${r.status || 'reset'}`);
          this.changed.fire();
        },
      });
      this.lab.catch(() => (this.lab = undefined));
    }
    return this.lab;
  }

  /** For the playground's built-in endpoint. */
  async server(): Promise<SimulatedServer> {
    return (await this.ensure()).server;
  }

  async start(scenarioArg?: unknown, optionsArg?: unknown): Promise<FaultLabStarted | undefined> {
    const { SCENARIOS, validateScenario } = serverModule();
    let scenario = typeof scenarioArg === 'string' ? scenarioArg : undefined;
    if (scenario === undefined) {
      const picked = await vscode.window.showQuickPick(
        SCENARIOS.map((s) => ({ label: s.name, detail: s.description })),
        { title: 'Claude: Start Fault Simulator', placeHolder: 'Fault scenario for every request' },
      );
      if (!picked) return undefined;
      scenario = picked.label;
    }
    let options: Record<string, unknown>;
    if (optionsArg && typeof optionsArg === 'object' && !Array.isArray(optionsArg)) {
      options = optionsArg as Record<string, unknown>;
    } else {
      const info = SCENARIOS.find((s) => s.name === scenario);
      const hint = info?.options.map((o) => `${o.name}${o.default === undefined ? '' : `=${JSON.stringify(o.default)}`}`).join(' ') ?? '';
      const chosen = scenario;
      const text = await vscode.window.showInputBox({
        title: `Options for ${scenario}`,
        prompt: `key=value, separated by spaces; empty for the defaults (${hint || 'no options'})`,
        validateInput: (t) => {
          try {
            validateScenario(chosen, parseOptionList(t));
            return undefined;
          } catch (e) {
            return (e as Error).message;
          }
        },
      });
      if (text === undefined) return undefined;
      options = parseOptionList(text);
    }
    try {
      validateScenario(scenario, options);
    } catch (e) {
      void vscode.window.showErrorMessage(`Claude fault simulator: ${(e as Error).message}`);
      return undefined;
    }
    const lab = await this.ensure();
    lab.server.setScenario(scenario, options as Record<string, number | string | boolean>);
    lab.clear();
    this.active = { scenario, options };
    this.item.text = `$(debug-disconnect) Claude faults: ${scenario}`;
    this.item.tooltip = `Fault simulator at ${lab.url} (scenario ${scenario}${Object.keys(options).length ? ` ${JSON.stringify(options)}` : ''}). Click to stop and see the verdicts.`;
    this.item.show();
    this.changed.fire();
    this.log(`Fault simulator started at ${lab.url}, scenario ${scenario} ${JSON.stringify(options)}`);
    return { url: lab.url, scenario, options, statusBarText: this.item.text };
  }

  /** Opens a terminal whose environment points the SDKs at the lab (starting it with "ok" if needed). */
  async openTerminal(): Promise<vscode.Terminal> {
    const lab = await this.ensure();
    const env: Record<string, string> = { ANTHROPIC_BASE_URL: lab.url };
    if (!process.env.ANTHROPIC_API_KEY) env.ANTHROPIC_API_KEY = PLACEHOLDER_API_KEY;
    const terminal = vscode.window.createTerminal({
      name: 'Claude Fault Lab',
      env,
      message: `ANTHROPIC_BASE_URL=${lab.url}: Claude SDK clients started here call the fault simulator.`,
    });
    this.terminals.push(terminal);
    terminal.show();
    return terminal;
  }

  /**
   * Stops the simulator: shows the verdicts and offers to save the report (`saveTo` saves without asking;
   * `false` does not save). Returns the report, or undefined when nothing was running.
   */
  async stop(saveTo?: unknown): Promise<LabReport | undefined> {
    const running = this.lab;
    if (!running || !this.active) {
      void vscode.window.showInformationMessage('The Claude fault simulator is not running.');
      return undefined;
    }
    const lab = await running;
    const report = lab.report();
    this.lab = undefined;
    this.active = undefined;
    this.item.hide();
    await lab.close();
    this.changed.fire();
    this.log(`Fault simulator stopped: ${report.requests.length} request(s), ${report.verdicts.length} verdict(s).`);
    for (const v of report.verdicts) this.log(`  ${v.kind}: ${v.message}`);
    let target = saveTo instanceof vscode.Uri ? saveTo : undefined;
    if (saveTo === undefined) {
      const summary = `Fault simulator stopped: ${report.requests.length} request(s), ${report.verdicts.length ? report.verdicts.map((v) => v.kind).join(', ') : 'no verdicts'}.`;
      const choice = await vscode.window.showInformationMessage(summary, 'Save Report…');
      if (choice) target = await vscode.window.showSaveDialog({ filters: { JSON: ['json'] }, saveLabel: 'Save Fault Lab Report' });
    }
    if (target) {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(JSON.stringify(report, null, 2) + '\n'));
      this.log(`Fault lab report written to ${target.fsPath}`);
    }
    return report;
  }

  /** The requests and verdicts so far, while the simulator runs. */
  async report(): Promise<LabReport | undefined> {
    return this.active && this.lab ? (await this.lab).report() : undefined;
  }

  /** The live view's data: the running simulator's requests as a timeline (empty when stopped). */
  async timeline(): Promise<TimelineMessage> {
    const { timelineOf } = timelineModule();
    const report = (await this.report()) ?? { requests: [], verdicts: [] };
    const url = this.active && this.lab ? (await this.lab).url : undefined;
    return { type: 'timeline', running: this.active !== undefined, url, timeline: timelineOf(report) };
  }

  get running(): boolean {
    return this.active !== undefined;
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
    const lab = this.lab;
    this.lab = undefined;
    if (lab) void lab.then((l) => l.close(), () => undefined);
  }
}

export function registerFaultLab(host: FaultLabHost): vscode.Disposable[] {
  return [
    host,
    vscode.commands.registerCommand(FAULT_LAB_COMMANDS.start, (scenario?: unknown, options?: unknown) => host.start(scenario, options)),
    vscode.commands.registerCommand(FAULT_LAB_COMMANDS.openTerminal, () => host.openTerminal()),
    vscode.commands.registerCommand(FAULT_LAB_COMMANDS.stop, (saveTo?: unknown) => host.stop(saveTo)),
  ];
}
