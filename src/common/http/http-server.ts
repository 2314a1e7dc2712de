import { STATUS_CODES } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { CommonSettings } from '../config/common.settings';

/** The answers Node would write bare (no body at all), in the contract's error shape instead. */
const PROTOCOL_ERRORS: Readonly<Record<string, [status: number, code: string, message: string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'REQUEST_HEADER_FIELDS_TOO_LARGE', 'Request line and headers exceed 16 kB'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'PAYLOAD_TOO_LARGE', 'Chunk extensions exceed 16 kB'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request did not arrive in time'],
};
const MALFORMED: [number, string, string] = [400, 'VALIDATION_FAILED', 'Malformed HTTP request'];

/**
 * Socket-level limits of the HTTP server, from the configuration, for main.ts and the tests
 * alike (prepareApp calls it before listening). Node checks the headers and request timeouts
 * only every `connectionsCheckingInterval` (30 s unless given to createServer, which Nest calls
 * for us); it reads the property when the server starts listening, so it is set here.
 */
export function configureHttpServer(server: Server, config: CommonSettings, longestRequestMs: number): void {
  server.headersTimeout = config.HTTP_HEADERS_TIMEOUT_MS;
  server.requestTimeout = config.HTTP_REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = config.HTTP_KEEP_ALIVE_TIMEOUT_MS;
  // A client that stops reading its answers leaves the socket with nothing moving in or out once
  // every request it sent was parsed (the request timeout then has nothing to time): without
  // this it would stay open for ever. No request of ours idles its socket longer than the
  // modules declared (HttpServerLimits).
  server.timeout = Math.max(config.HTTP_REQUEST_TIMEOUT_MS, longestRequestMs);
  const shortest = Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS);
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(1_000, Math.ceil(shortest / 4));
  server.on('clientError', answerClientError);
}

/**
 * What Node does by default for a request it cannot parse or that timed out, with a JSON body:
 * answer only while no answer of a request on this connection has started (anything else
 * would corrupt it), then close the connection.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
  if (socket.writable && !inFlight?.headersSent && error.code !== 'ECONNRESET') {
    const [status, code, message] = PROTOCOL_ERRORS[error.code ?? ''] ?? MALFORMED;
    const body = JSON.stringify({ statusCode: status, code, message });
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
