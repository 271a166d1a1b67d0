import * as vscode from 'vscode';
import { runSelection, selectionProblem } from '../commands/run-selection.js';
import { connect } from './connection.js';
import type { ReplayView } from './replay-view.js';

/** agentd.runSelection: the editor's selection to an agent, the answer in the output channel. */
export function runSelectionCommand(
  context: vscode.ExtensionContext,
  output: vscode.OutputChannel,
  replay: ReplayView,
) {
  return async (): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    const text = editor ? editor.document.getText(editor.selection) : '';
    const problem = selectionProblem(text);
    if (problem) {
      void vscode.window.showWarningMessage(problem);
      return;
    }
    const configured = vscode.workspace.getConfiguration('agentd').get<string>('defaultAgent', '');
    const agent =
      configured ||
      (await vscode.window.showInputBox({
        prompt: "Agent (id or name); empty runs the tenant's default agent",
      }));
    if (agent === undefined) return;
    const client = await connect(context);
    if (!client) return;
    output.show(true);
    output.appendLine(`> ${text}`);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'agentd: running', cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return runSelection(client, { text, agent, signal: abort.signal }, (event) => {
          if (event.type === 'response.tool_call.started')
            progress.report({ message: `calling ${event.name}` });
        });
      },
    );
    await replay.recent().add(result.responseId, text.slice(0, 80));
    output.appendLine(result.text);
    output.appendLine(
      `(${result.responseId}, ${result.status}; tools: ${result.toolCalls.join(', ') || 'none'})`,
    );
    const choice = await vscode.window.showInformationMessage(`agentd: run ${result.status}`, 'Replay');
    if (choice === 'Replay') await replay.open(result.responseId);
  };
}
