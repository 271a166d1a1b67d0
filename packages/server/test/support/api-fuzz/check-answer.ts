import type { Mutation } from './mutations.js';
import type { Answer } from './send-request.js';

/** Error codes of a failed schema validation: these must say which parameter failed. */
const VALIDATION_CODES = new Set(['invalid_value', 'missing_required_parameter', 'unknown_parameter']);

export interface Expectation {
  mutation: Mutation | undefined;
  /** The path names an object of a tenant the caller is not in: the caller must not reach it. */
  foreignIdInPath?: boolean;
  /** Text only the victim tenant's objects hold: it must never reach another tenant. */
  secretMarker?: string;
}

/** What is wrong with an answer, if anything: the API's promises on bad input, one line each. */
export function problemsWith(answer: Answer, expectation: Expectation): string[] {
  if (answer.failure) return [answer.failure];
  const problems: string[] = [];
  const { status } = answer;
  const ok = status >= 200 && status < 300;
  if (!ok && !(status >= 400 && status < 500)) {
    problems.push(`status ${status}: ${answer.text.slice(0, 300)}`);
  }
  if (status >= 400) problems.push(...errorBodyProblems(answer, expectation.mutation));
  if (ok && expectation.mutation?.mustRefuse) problems.push(`accepted (${status}) a request that is invalid`);
  if (ok && expectation.foreignIdInPath) problems.push(`reached another tenant's object (${status})`);
  if (ok && isJsonLines(answer.contentType)) {
    if (!answer.text.split('\n').every((line) => line === '' || parses(line)))
      problems.push('a 2xx JSON Lines answer with a line that is not JSON');
  } else if (ok && answer.contentType.includes('application/json') && !parses(answer.text)) {
    problems.push('a 2xx answer that is not JSON');
  }
  const stream = ok && answer.contentType.includes('text/event-stream') && !answer.endless;
  if (stream && answer.logLines) {
    if (!dataLines(answer.text).every(parses)) problems.push('a log line streamed that is not JSON');
  } else if (stream && !endsWithTerminalEvent(answer.text)) {
    problems.push(`a stream that stopped without a terminal event: ...${answer.text.slice(-200)}`);
  }
  if (expectation.secretMarker && answer.text.includes(expectation.secretMarker))
    problems.push("leaked another tenant's data");
  return problems;
}

/** JSON Lines (an export): one JSON document per line, not one document. */
function isJsonLines(contentType: string): boolean {
  return contentType.includes('application/jsonl') || contentType.includes('application/x-ndjson');
}

function errorBodyProblems(answer: Answer, mutation: Mutation | undefined): string[] {
  if (!answer.contentType.includes('application/json')) {
    return [`a ${answer.status} that is not JSON (${answer.contentType || 'no content type'})`];
  }
  const body = parses(answer.text) ? (JSON.parse(answer.text) as { error?: Record<string, unknown> }) : {};
  const error = body.error;
  if (
    !error ||
    typeof error.type !== 'string' ||
    typeof error.code !== 'string' ||
    typeof error.message !== 'string'
  ) {
    return [`a ${answer.status} without an {"error":{type,code,message}} body: ${answer.text.slice(0, 200)}`];
  }
  if (!(typeof error.param === 'string' || error.param === null))
    return ['error.param is neither a string nor null'];
  // A validation error names the parameter, unless the whole body was the problem.
  if (VALIDATION_CODES.has(error.code) && mutation?.where !== 'body' && !error.param) {
    return [`a validation error (${error.code}) that names no parameter: ${error.message}`];
  }
  return [];
}

/** Whether a server-sent event stream ends as a finished run's does: a terminal event, or `[DONE]`. */
function endsWithTerminalEvent(text: string): boolean {
  const last = dataLines(text).at(-1);
  if (last === undefined) return false;
  if (last === '[DONE]') return true;
  try {
    const type = (JSON.parse(last) as { type?: string }).type ?? '';
    return /^(response\.(completed|failed|incomplete|cancelled)|error)$/.test(type);
  } catch {
    return false;
  }
}

/** The data of each server-sent event. */
function dataLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim());
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
