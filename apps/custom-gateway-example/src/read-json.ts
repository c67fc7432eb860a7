// Reads a request body as JSON; undefined for a body that is not JSON, so the caller answers 400.
import type { IncomingMessage } from 'node:http';

export async function readJson(request: IncomingMessage): Promise<{ messages?: unknown } | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
