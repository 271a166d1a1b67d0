import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { AgentdError } from '../errors.js';
import { errorBody } from './error-response.js';

/**
 * Requests Node's HTTP parser refuses before any route sees them (a request
 * line and headers past its 16 KB limit, a malformed request) get the same
 * JSON error body as every other refusal, instead of Node's bare status line.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const pending = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || pending?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, reason, refusal] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? ([
            431,
            'Request Header Fields Too Large',
            new AgentdError(
              'too_large',
              'headers_too_large',
              'The URL and headers are larger than the server accepts (16 KB): send long values in a JSON body.',
            ),
          ] as const)
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? ([
              408,
              'Request Timeout',
              new AgentdError('invalid_request', 'request_timeout', 'The request took too long to arrive.'),
            ] as const)
          : ([
              400,
              'Bad Request',
              new AgentdError('invalid_request', 'bad_request', 'The request is not valid HTTP.'),
            ] as const);
    const body = JSON.stringify(errorBody(refusal));
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
