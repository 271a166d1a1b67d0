import * as vscode from 'vscode';
import { ManifestChecker } from './manifest/manifest-checker.js';
import { loadShippedSchema } from './manifest/shipped-schema.js';
import { setApiKey } from './vscode/connection.js';
import { registerManifestCompletion } from './vscode/manifest-completion.js';
import { ManifestDiagnostics } from './vscode/manifest-diagnostics.js';
import { ReplayView } from './vscode/replay-view.js';
import { runSelectionCommand } from './vscode/run-selection-command.js';

/** VS Code calls this when a command or the replay view is first used, or a manifest is opened. */
export function activate(context: vscode.ExtensionContext): void {
  const schema = loadShippedSchema(context.extensionPath);
  const checker = new ManifestChecker(schema);
  const output = vscode.window.createOutputChannel('agentd');
  const replay = new ReplayView(context);
  context.subscriptions.push(
    output,
    ...replay.register(),
    ...new ManifestDiagnostics(checker).register(),
    registerManifestCompletion(schema),
    vscode.commands.registerCommand('agentd.setApiKey', () => setApiKey(context)),
    vscode.commands.registerCommand('agentd.runSelection', runSelectionCommand(context, output, replay)),
  );
}

export function deactivate(): void {}
