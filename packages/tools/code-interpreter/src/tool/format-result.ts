import { capText } from '../cap-text.js';
import type { SandboxResult } from '../sandbox.js';

export const DEFAULT_TOOL_OUTPUT_CHARS = 30_000;

const STATUS_LINES: Record<SandboxResult['status'], string> = {
  ok: '',
  error: 'The code raised an exception.',
  timeout: 'The code ran out of time and was stopped.',
  killed: 'The sandbox stopped the code.',
  cancelled: 'The call was cancelled.',
};

/**
 * What the model reads for one call: stdout, stderr, the last value, the
 * exception with its trimmed traceback, the files and figures produced. The
 * whole text is capped as well as each part.
 */
export function formatSandboxResult(result: SandboxResult, maxChars = DEFAULT_TOOL_OUTPUT_CHARS): string {
  const sections: string[] = [];
  if (STATUS_LINES[result.status]) sections.push(STATUS_LINES[result.status]);
  if (result.stdout) sections.push(`stdout:\n${result.stdout.replace(/\n$/, '')}`);
  if (result.stderr) sections.push(`stderr:\n${result.stderr.replace(/\n$/, '')}`);
  if (result.result !== null) sections.push(`Result: ${result.result}`);
  if (result.error) {
    const traceback = result.error.traceback.replace(/\n$/, '');
    sections.push(traceback || `${result.error.type}: ${result.error.message}`);
  }
  if (result.files.length > 0) {
    const lines = result.files.map(
      (file) => `- ${file.path} (${file.mimeType}, ${file.bytes.byteLength} bytes)`,
    );
    sections.push(`Files written:\n${lines.join('\n')}`);
  }
  if (result.images.length > 0) {
    const count = result.images.length;
    sections.push(
      `${count} matplotlib figure${count === 1 ? '' : 's'} captured as PNG and shown to the user.`,
    );
  }
  if (result.truncated) sections.push('(Some output was truncated.)');
  if (sections.length === 0) sections.push('(The code ran and produced no output.)');
  return capText(sections.join('\n\n'), maxChars).text;
}
