// Requests Node's HTTP parser refuses (malformed, headers too large, too slow) answered in OpenAI's error format.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody, httpError } from './error-body.ts';

/** Node's own choice of status for each parser failure, with what the client should do about it. */
function describe(code: string | undefined): { status: number; code: `GW_ERR_${string}`; message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'GW_ERR_HEADERS_TOO_LARGE',
        message:
          'The request headers are larger than the server accepts (32 KiB); send fewer or smaller headers.',
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        code: 'GW_ERR_BODY_TOO_LARGE',
        message: 'The chunk extensions of the request are too large.',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        code: 'GW_ERR_REQUEST_TIMEOUT',
        message: 'The request was not received in time; send the whole request promptly.',
      };
    default:
      return {
        status: 400,
        code: 'GW_ERR_BAD_HTTP_REQUEST',
        message:
          'The request is not valid HTTP/1.1; check the request line, the headers and the body framing.',
      };
  }
}

/**
 * The server's 'clientError' handler. Node's default answers with an empty body; a client (or an operator reading
 * its logs) then sees a bare status. Like Node, it writes only on a connection that has not answered anything yet:
 * a response already under way would be corrupted by a second one. The route is unknown (nothing was parsed), so
 * the body is in OpenAI's format, the gateway's default.
 */
export function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Duplex & { bytesWritten?: number },
): void {
  if (error.code === 'ECONNRESET' || !socket.writable || (socket.bytesWritten ?? 0) > 0) {
    socket.destroy();
    return;
  }
  const described = describe(error.code);
  const formatted = errorBody('openai', httpError(described.status, described.code, described.message));
  const body = JSON.stringify(formatted.body);
  socket.end(
    `HTTP/1.1 ${formatted.status} ${STATUS_CODES[formatted.status]}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
