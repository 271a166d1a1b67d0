import * as vscode from 'vscode';
import { loadReplay } from '../replay/load-replay.js';
import { RecentRuns } from '../replay/recent-runs.js';
import { renderStep } from '../replay/render-step.js';
import { ReplayCursor } from '../replay/replay-cursor.js';
import type { ReplayStep } from '../replay/replay-model.js';
import { mergeRuns, serverRecentRuns } from '../replay/server-runs.js';
import { connect, serverURL } from './connection.js';

const SCHEME = 'agentd-replay';

/** The "agentd Replay" view: a run's steps as a list; a step opens as a document with its scratch-pad. */
export class ReplayView implements vscode.TreeDataProvider<ReplayStep>, vscode.TextDocumentContentProvider {
  private cursor: ReplayCursor | undefined;
  private readonly treeChanged = new vscode.EventEmitter<undefined>();
  private readonly documentChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChangeTreeData = this.treeChanged.event;
  readonly onDidChange = this.documentChanged.event;

  constructor(private readonly context: vscode.ExtensionContext) {}

  register(): vscode.Disposable[] {
    return [
      vscode.window.registerTreeDataProvider('agentd.replay', this),
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
      vscode.commands.registerCommand('agentd.replay.open', (id?: string) => this.open(id)),
      vscode.commands.registerCommand('agentd.replay.next', () => this.show(this.cursor?.next())),
      vscode.commands.registerCommand('agentd.replay.previous', () => this.show(this.cursor?.previous())),
      vscode.commands.registerCommand('agentd.replay.showStep', (index: number) =>
        this.show(this.cursor?.go(index)),
      ),
    ];
  }

  recent(): RecentRuns {
    return new RecentRuns(this.context.globalState, serverURL());
  }

  /** Opens a run by id, or asks: one of the recent runs or an id typed in. */
  async open(id?: string): Promise<void> {
    const responseId = id ?? (await this.pick());
    if (!responseId) return;
    const client = await connect(this.context);
    if (!client) return;
    const replay = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `agentd: reading ${responseId}` },
      () => loadReplay(client, responseId),
    );
    await this.recent().add(responseId, 'opened in the replay');
    this.cursor = new ReplayCursor(replay);
    this.treeChanged.fire(undefined);
    await this.show(this.cursor.step);
  }

  private async pick(): Promise<string | undefined> {
    const typed = '$(edit) Enter a response id…';
    const client = await connect(this.context);
    const server = client ? await serverRecentRuns(client).catch(() => []) : [];
    const items = [
      { label: typed },
      ...mergeRuns(server, this.recent().list()).map((run) => ({
        label: run.id,
        description: run.label,
        detail: new Date(run.at).toLocaleString(),
      })),
    ];
    const chosen = await vscode.window.showQuickPick(items, { title: 'Replay a run' });
    if (!chosen) return undefined;
    if (chosen.label !== typed) return chosen.label;
    return (await vscode.window.showInputBox({ prompt: 'Response id', placeHolder: 'resp_…' }))?.trim();
  }

  private async show(step: ReplayStep | undefined): Promise<void> {
    if (!step || !this.cursor) return;
    const uri = vscode.Uri.parse(`${SCHEME}:/${this.cursor.replay.responseId}.md`);
    this.documentChanged.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true, preserveFocus: true });
  }

  provideTextDocumentContent(): string {
    return this.cursor ? renderStep(this.cursor.replay, this.cursor.step) : '';
  }

  getChildren(element?: ReplayStep): ReplayStep[] {
    return element || !this.cursor ? [] : this.cursor.replay.steps;
  }

  getTreeItem(step: ReplayStep): vscode.TreeItem {
    const item = new vscode.TreeItem(`${step.index + 1}. ${step.title}`);
    item.description = step.kind;
    item.command = { command: 'agentd.replay.showStep', title: 'Show Step', arguments: [step.index] };
    return item;
  }
}
