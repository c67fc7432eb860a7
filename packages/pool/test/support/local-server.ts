// A real node:http server on an ephemeral port that counts sockets, for pool tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { onTestFinished } from 'vitest';

export interface LocalServer {
  origin: string;
  server: Server;
  /** Sockets ever accepted. */
  readonly connections: number;
  /** Resolves when the next accepted socket closes. */
  socketClosed(): Promise<void>;
  close(): Promise<void>;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** Starts a server that is closed when the calling test finishes, pass or fail (closing twice is harmless). */
export async function startServer(handler: Handler): Promise<LocalServer> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  const closeWaiters: Array<() => void> = [];
  let connections = 0;
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      for (const wake of closeWaiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  onTestFinished(close);
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    get connections() {
      return connections;
    },
    socketClosed: () => new Promise<void>((resolve) => closeWaiters.push(resolve)),
    close,
  };
}

export async function readAll(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
}
