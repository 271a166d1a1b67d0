import type { ResponseEvent } from '@agentd/spec';
import { createStyle, Spinner, type Stream, type Style } from './style.js';

export type Output = Stream;

export interface RendererOptions {
  env?: Record<string, string | undefined>;
  /** Saves a stored image (code output, screenshot) and returns where it went. */
  saveImage?: (fileId: string) => Promise<string>;
}

export interface Renderer {
  (event: ResponseEvent): void;
  /** Waits for the images being saved and stops the spinner. */
  finish(): Promise<void>;
  /** Writes a line of its own (stderr), between the run's. */
  note(text: string): void;
}

/**
 * Shows a run's steps in the terminal as they happen: a spinner while the
 * model thinks (terminal only), the model's text as it streams on stdout, and
 * on stderr each tool call with its arguments, each result, the code run and
 * its output, images saved, and how it ended.
 */
export function createEventRenderer(out: Output, err: Output, options: RendererOptions = {}): Renderer {
  const style: Style = createStyle(err, options.env ?? process.env);
  const spinner = new Spinner(err);
  const saving: Promise<void>[] = [];
  let inText = false;
  const endText = () => {
    if (inText) out.write('\n');
    inText = false;
  };
  const note = (text: string) => {
    spinner.stop();
    endText();
    err.write(`${text}\n`);
  };
  const saveImage = (fileId: string) => {
    if (!options.saveImage) return note(style.dim(`  image ${fileId}`));
    saving.push(
      options.saveImage(fileId).then(
        (path) => note(style.green(`  image saved to ${path}`)),
        (error: Error) => note(style.red(`  image ${fileId} not saved: ${error.message}`)),
      ),
    );
  };
  const render = (event: ResponseEvent): void => {
    switch (event.type) {
      case 'response.model_call.started':
        if (!inText) spinner.start(style.dim(`thinking (${event.model}, step ${event.step})`));
        break;
      case 'response.output_text.delta':
        spinner.stop();
        inText = true;
        out.write(event.delta);
        break;
      case 'response.tool_call.started':
        note(`${style.cyan('→')} ${style.bold(event.name)} ${event.arguments}`);
        spinner.start(style.dim(`running ${event.name}`));
        break;
      case 'response.tool_call.routed':
        note(style.dim(`  routed ${event.capability} to ${event.tool} (attempt ${event.attempt})`));
        break;
      case 'response.tool_call.fallback':
        note(
          style.yellow(
            `  ${event.from} failed (${event.reason}); ${event.to ? `trying ${event.to}` : 'no tool left'}`,
          ),
        );
        break;
      case 'response.output_item.done': {
        const item = event.item;
        if (item.type === 'function_call_output') note(`${style.cyan('←')} ${clip(item.output, 400)}`);
        if (item.type === 'approval_request')
          note(style.yellow(`? ${item.name} needs an approval (not given in a one-off run)`));
        if (item.type === 'code_interpreter_call') {
          if (item.code) note(style.dim(indent(item.code, '  │ ')));
          for (const output of item.outputs ?? []) {
            if (output.type === 'logs' && output.logs) note(indent(output.logs.replace(/\n$/, ''), '  ▏ '));
            if (output.type === 'image') saveImage(output.file_id);
            if (output.type === 'file') note(style.dim(`  file ${output.path} (${output.file_id})`));
          }
        }
        if (item.type === 'web_search_call')
          for (const output of item.outputs ?? []) saveImage(output.file_id);
        break;
      }
      case 'error':
        note(style.red(`error: ${event.code}: ${event.message}`));
        break;
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed':
      case 'response.cancelled': {
        const usage = event.response.usage;
        const reason = event.response.incomplete_details
          ? ` (${event.response.incomplete_details.reason})`
          : '';
        const failure = event.response.error ? `: ${event.response.error.message}` : '';
        const line = `[${event.response.status}${reason}${failure}${usage ? `; ${usage.input_tokens} tokens in, ${usage.output_tokens} out` : ''}]`;
        note(event.response.status === 'completed' ? style.dim(line) : style.red(line));
        break;
      }
    }
  };
  return Object.assign(render, {
    note,
    finish: async () => {
      await Promise.all(saving);
      spinner.stop();
      endText();
    },
  });
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max)}…`;
}
