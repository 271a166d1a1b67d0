import { dirname } from 'node:path';
import * as vscode from 'vscode';

/** The configured tool directories (`agentd.toolDirectories`), as absolute paths. */
export function toolDirectories(): string[] {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  const dirs = vscode.workspace.getConfiguration('agentd').get<string[]>('toolDirectories', []);
  return root ? dirs.map((dir) => vscode.Uri.joinPath(root, dir).fsPath) : [];
}

/** Whether a document is a JSON file directly inside one of the configured tool directories. */
export function inToolDirectory(document: vscode.TextDocument): boolean {
  const path = document.uri.fsPath;
  if (document.uri.scheme !== 'file' || !path.endsWith('.json')) return false;
  return toolDirectories().some((dir) => dirname(path) === dir);
}
