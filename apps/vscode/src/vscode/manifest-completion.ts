import * as vscode from 'vscode';
import { completeManifest } from '../manifest/complete-manifest.js';
import { inToolDirectory } from './tool-directories.js';

/**
 * Completion in the manifests of the configured tool directories, from the
 * shipped schema. `*.tool.json` files get theirs from VS Code's JSON support
 * (contributes.jsonValidation); the setting's folders cannot be named there.
 */
export function registerManifestCompletion(schema: Record<string, unknown>): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider(
    { language: 'json', scheme: 'file' },
    {
      provideCompletionItems(document, position) {
        if (!inToolDirectory(document) || document.uri.fsPath.endsWith('.tool.json')) return [];
        return completeManifest(document.getText(), document.offsetAt(position), schema).map((found) => {
          const item = new vscode.CompletionItem(
            found.label,
            found.kind === 'property' ? vscode.CompletionItemKind.Property : vscode.CompletionItemKind.Value,
          );
          item.insertText = found.insertText;
          if (found.detail) item.detail = found.detail;
          return item;
        });
      },
    },
    '"',
  );
}
