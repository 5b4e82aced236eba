/**
 * Refusals that happen before a request reaches the app (Node's HTTP parser, the request timeout,
 * the router's URL checks) answer problem+json like every other error: a client switches on
 * `code` whatever layer refused it.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { MesProblem, problemBody } from './errors.js';

/** The longest request target the API accepts; longer is 414 URI_TOO_LONG. */
export const MAX_URL_LENGTH = 8192;

export const uriTooLong = () =>
  new MesProblem(414, 'URI_TOO_LONG', `the request target is longer than the server accepts (${MAX_URL_LENGTH} characters, 100 per path parameter); send long input in a body`);

/**
 * Node's `clientError`: the request timed out before its body arrived (408), its headers or URL
 * overflowed the parser (414 when the request line alone is too long, else 431), or it is not
 * HTTP at all (400). The answer is written on the socket, which is then closed.
 */
export function clientErrorHandler(err: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const problem = problemOfClientError(err);
  // A response already under way cannot be replaced: close the connection only.
  const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean; req?: { url?: string } } })._httpMessage;
  if (socket.writable && !pending?.headersSent) {
    const body = JSON.stringify(problemBody(problem, pending?.req?.url?.split('?')[0] ?? '', randomBytes(16).toString('hex')));
    socket.write(
      `HTTP/1.1 ${problem.status} ${problem.status === 408 ? 'Request Timeout' : problem.status === 414 ? 'URI Too Long' : problem.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n`
        + `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

function problemOfClientError(err: Error & { code?: string; rawPacket?: unknown }): MesProblem {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new MesProblem(408, 'REQUEST_TIMEOUT', 'the request did not arrive in full within the server\'s request timeout (MES_REQUEST_TIMEOUT_MS); send it again, at once');
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    const requestLineEnds = Buffer.isBuffer(err.rawPacket) ? err.rawPacket.indexOf('\r\n') : -1;
    if (requestLineEnds < 0 || requestLineEnds > MAX_URL_LENGTH) return uriTooLong();
    return new MesProblem(431, 'HEADERS_TOO_LARGE', 'the request headers are larger than the server accepts (16 KiB)');
  }
  return new MesProblem(400, 'MALFORMED_REQUEST', `the request is not valid HTTP/1.1 (${err.code ?? 'parse error'})`);
}
