// What the bench's own child servers share: their command line, listening where the parent reads it, and SIGTERM.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

/** `--port` (default 0) and `--upstream`, plus the child's own string options with their defaults. */
export function childArguments<Name extends string>(
  defaults: Record<Name, string>,
): { port: string; upstream: string | undefined } & Record<Name, string> {
  const options: Record<string, { type: 'string'; default?: string }> = {
    port: { type: 'string', default: '0' },
    upstream: { type: 'string' },
  };
  for (const [name, value] of Object.entries<string>(defaults))
    options[name] = { type: 'string', default: value };
  // Every option is a string with a default, save `upstream`: parseArgs's general result type cannot say so.
  return parseArgs({ options }).values as { port: string; upstream: string | undefined } & Record<
    Name,
    string
  >;
}

/** Listens on 127.0.0.1, prints the `listening on` line `child-server.ts` waits for, and closes on SIGTERM. */
export function serveChild(server: Server, port: string, close: () => Promise<void>): void {
  server.listen(Number(port), '127.0.0.1', () => {
    process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  });
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void close().then(() => process.exit(0));
  });
}
