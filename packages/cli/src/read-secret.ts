import type { Output } from './render-events.js';

export interface SecretInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Thrown when the user presses Ctrl-C at the prompt. */
export class PromptCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'PromptCancelled';
  }
}

/**
 * Reads a secret typed at a terminal without echoing it: the terminal is put
 * in raw mode, so neither it nor readline writes what is typed; Enter ends
 * the line, Backspace takes back a character, Ctrl-C cancels, Ctrl-D ends.
 * The prompt goes to `prompt` (stderr), so stdout stays clean.
 */
export function readSecret(input: SecretInput, prompt: Output, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
      prompt.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of String(chunk)) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new PromptCancelled());
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed += char;
      }
    };
    // Raw mode before the prompt: whatever is typed once the prompt shows is never echoed.
    input.setRawMode?.(true);
    prompt.write(question);
    input.on('data', onData);
    input.resume();
  });
}
