// A minimal npm registry in memory: publish (PUT), packuments and tarballs (GET), enough for npm, pnpm and changesets.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalRegistry {
  /** `http://127.0.0.1:PORT/`, with the trailing slash npm configs expect */
  url: string;
  /** published package documents by name */
  packuments: Map<string, Packument>;
  close(): Promise<void>;
}

export interface Packument {
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, VersionManifest>;
}

export interface VersionManifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  dist: { tarball: string; shasum?: string; integrity?: string };
  [field: string]: unknown;
}

interface PublishBody extends Packument {
  _attachments?: Record<string, { data: string }>;
}

/** Starts the registry on a free loopback port. Publishing an existing version answers 403, like npm. */
export async function startLocalRegistry(): Promise<LocalRegistry> {
  const packuments = new Map<string, Packument>();
  const tarballs = new Map<string, Buffer>();
  let url = '';

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(request.url ?? '/', url).pathname).slice(1);
    const tarball = tarballs.get(path);
    if (request.method === 'GET' && tarball) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
      return;
    }
    if (request.method === 'GET' && packuments.has(path)) {
      send(response, 200, packuments.get(path));
      return;
    }
    if (request.method === 'PUT' && !path.startsWith('-/')) {
      const body = JSON.parse(await readBody(request)) as PublishBody;
      const existing = packuments.get(body.name) ?? { name: body.name, 'dist-tags': {}, versions: {} };
      for (const [version, manifest] of Object.entries(body.versions)) {
        if (existing.versions[version]) {
          send(response, 403, { error: `cannot publish over ${body.name}@${version}` });
          return;
        }
        const file = `${body.name}/-/${body.name.split('/').at(-1)}-${version}.tgz`;
        manifest.dist = { ...manifest.dist, tarball: `${url}${file}` };
        existing.versions[version] = manifest;
        const attachment = Object.values(body._attachments ?? {})[0];
        if (attachment) tarballs.set(file, Buffer.from(attachment.data, 'base64'));
      }
      Object.assign(existing['dist-tags'], body['dist-tags']);
      packuments.set(body.name, existing);
      send(response, 201, { ok: true });
      return;
    }
    send(response, 404, { error: 'not_found' });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    packuments,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
