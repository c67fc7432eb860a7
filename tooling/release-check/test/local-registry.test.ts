import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalRegistry, startLocalRegistry } from '../src/index.ts';

let registry: LocalRegistry;

beforeEach(async () => {
  registry = await startLocalRegistry();
});

afterEach(async () => {
  await registry.close();
});

function publish(version: string, tarball: Buffer) {
  return fetch(`${registry.url}@gw%2fexample`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: '@gw/example',
      'dist-tags': { latest: version },
      versions: {
        [version]: {
          name: '@gw/example',
          version,
          dist: {
            tarball: 'http://elsewhere/example.tgz',
            shasum: createHash('sha1').update(tarball).digest('hex'),
          },
        },
      },
      _attachments: { [`@gw/example-${version}.tgz`]: { data: tarball.toString('base64') } },
    }),
  });
}

describe('the in-memory registry', () => {
  it('serves a published version with its tarball at its own address', async () => {
    const tarball = Buffer.from('not really gzip, but bytes are bytes');
    expect((await publish('1.0.0', tarball)).status).toBe(201);
    const packument = (await (await fetch(`${registry.url}@gw%2fexample`)).json()) as {
      'dist-tags': { latest: string };
      versions: Record<string, { dist: { tarball: string } }>;
    };
    expect(packument['dist-tags'].latest).toBe('1.0.0');
    const address = packument.versions['1.0.0']?.dist.tarball ?? '';
    expect(address).toBe(`${registry.url}@gw/example/-/example-1.0.0.tgz`);
    expect(Buffer.from(await (await fetch(address)).arrayBuffer())).toEqual(tarball);
  });

  it('keeps older versions and moves latest when a new version is published', async () => {
    await publish('1.0.0', Buffer.from('one'));
    await publish('1.1.0', Buffer.from('two'));
    const packument = registry.packuments.get('@gw/example');
    expect(Object.keys(packument?.versions ?? {})).toEqual(['1.0.0', '1.1.0']);
    expect(packument?.['dist-tags'].latest).toBe('1.1.0');
  });

  it('refuses to publish over an existing version, as npm does', async () => {
    await publish('1.0.0', Buffer.from('first'));
    expect((await publish('1.0.0', Buffer.from('second'))).status).toBe(403);
  });

  it('answers 404 for a package nobody published', async () => {
    expect((await fetch(`${registry.url}@gw%2fmissing`)).status).toBe(404);
  });
});
