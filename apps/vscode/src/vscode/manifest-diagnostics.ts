import { relative } from 'node:path';
import * as vscode from 'vscode';
import { checkManifestText, type LocatedProblem } from '../manifest/check-manifest-text.js';
import type { ManifestChecker } from '../manifest/manifest-checker.js';
import { formatReport, validateToolDir } from '../manifest/validate-tool-dir.js';
import { inToolDirectory } from './tool-directories.js';

/**
 * Problems in tool manifests as you type. `*.tool.json` files get the schema's
 * problems (and completion) from VS Code's JSON support through
 * contributes.jsonValidation; this adds what a schema cannot say, and checks
 * the files of the configured tool directories whole (their completion:
 * manifest-completion.ts).
 */
export class ManifestDiagnostics {
  private readonly collection = vscode.languages.createDiagnosticCollection('agentd');

  constructor(private readonly checker: ManifestChecker) {}

  register(): vscode.Disposable[] {
    for (const document of vscode.workspace.textDocuments) this.check(document);
    return [
      this.collection,
      vscode.workspace.onDidOpenTextDocument((document) => this.check(document)),
      vscode.workspace.onDidChangeTextDocument((change) => this.check(change.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri)),
      vscode.commands.registerCommand('agentd.validateToolDirectory', (folder?: vscode.Uri) =>
        this.validateDirectory(folder),
      ),
    ];
  }

  private check(document: vscode.TextDocument): void {
    const path = document.uri.fsPath;
    if (document.uri.scheme !== 'file' || !path.endsWith('.json')) return;
    const inToolDir = inToolDirectory(document);
    if (!inToolDir && !path.endsWith('.tool.json')) return;
    const problems = checkManifestText(document.getText(), this.checker, inToolDir ? {} : { only: 'rules' });
    this.collection.set(document.uri, problems.map(diagnostic));
  }

  async validateDirectory(folder?: vscode.Uri): Promise<void> {
    const dir = folder ?? (await pickFolder());
    if (!dir) return;
    const report = await validateToolDir(dir.fsPath, this.checker);
    for (const file of report.files) {
      this.collection.set(vscode.Uri.file(file.file), file.problems.map(diagnostic));
    }
    const lines = formatReport(report);
    const where =
      relative(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '', dir.fsPath) || dir.fsPath;
    if (lines.length === 0) {
      void vscode.window.showInformationMessage(
        `agentd: ${report.valid} tool manifest(s) in ${where} are valid.`,
      );
    } else {
      void vscode.window.showWarningMessage(
        `agentd: ${report.files.length - report.valid} of ${report.files.length} manifest(s) in ${where} have problems (see Problems).`,
      );
    }
  }
}

function diagnostic(problem: LocatedProblem): vscode.Diagnostic {
  const range = new vscode.Range(
    problem.start.line,
    problem.start.character,
    problem.end.line,
    problem.end.character,
  );
  const text = problem.field ? `${problem.field}: ${problem.message}` : problem.message;
  const result = new vscode.Diagnostic(range, text, vscode.DiagnosticSeverity.Error);
  result.source = 'agentd';
  return result;
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const chosen = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    title: 'Tool directory to validate',
  });
  return chosen?.[0];
}
