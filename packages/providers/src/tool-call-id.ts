import { randomBytes } from 'node:crypto';

/** An id for a tool call whose server sent none (llama.cpp and Ollama sometimes don't). */
export function generateToolCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}
