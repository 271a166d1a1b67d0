import { Agentd } from '@agentd/sdk';
import * as vscode from 'vscode';

const SECRET = 'agentd.apiKey';

/** The server in the settings (agentd.baseURL). */
export function serverURL(): string {
  return vscode.workspace.getConfiguration('agentd').get<string>('baseURL', 'http://127.0.0.1:8787');
}

/** Asks for the API key and keeps it in VS Code's secret storage (never in settings). */
export async function setApiKey(context: vscode.ExtensionContext): Promise<boolean> {
  const key = await vscode.window.showInputBox({
    title: `agentd API key for ${serverURL()}`,
    prompt: 'Kept in VS Code secret storage. `npm start` prints it and saves it to .agentd/admin-key.',
    password: true,
    ignoreFocusOut: true,
  });
  if (!key) return false;
  await context.secrets.store(SECRET, key.trim());
  return true;
}

/** An SDK client for the configured server; asks for the key the first time. */
export async function connect(context: vscode.ExtensionContext): Promise<Agentd | undefined> {
  let apiKey = await context.secrets.get(SECRET);
  if (!apiKey) {
    if (!(await setApiKey(context))) return undefined;
    apiKey = await context.secrets.get(SECRET);
  }
  return apiKey ? new Agentd({ baseURL: serverURL(), apiKey }) : undefined;
}
