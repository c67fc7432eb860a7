// The release flow end to end: changeset version, changeset publish to a local registry, npm install, README example.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractRunnableExample } from '../../../scripts/check-packages/readme-example.mjs';
import { runCommand, tail } from '../../../scripts/check-packages/run-command.mjs';
import { PUBLISHED_DIRECTORIES } from '../../../scripts/check-packages/workspace.mjs';
import { type LocalRegistry, startLocalRegistry } from '../src/index.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const withoutNpmSettings = () =>
  Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  files?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const readManifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));

/**
 * A copy of the workspace with what publishing reads (manifests, changesets, built files), so versioning stays out
 * of the checkout. Workspace dependencies are linked as `pnpm install` would, for pnpm publish to resolve `workspace:`.
 */
function copyWorkspace(target: string): void {
  for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset']) {
    cpSync(path.join(root, file), path.join(target, file), { recursive: true });
  }
  const copies = new Map<string, string>();
  for (const group of ['packages', 'apps', 'tooling']) {
    for (const dir of readdirOf(path.join(root, group))) {
      const source = path.join(root, group, dir);
      if (!existsSync(path.join(source, 'package.json'))) continue;
      const destination = path.join(target, group, dir);
      mkdirSync(destination, { recursive: true });
      cpSync(path.join(source, 'package.json'), path.join(destination, 'package.json'));
      const manifest = readManifest(source);
      copies.set(manifest.name, destination);
      if (manifest.private) continue;
      for (const entry of manifest.files ?? []) {
        const from = path.join(source, entry);
        if (existsSync(from)) cpSync(from, path.join(destination, entry), { recursive: true });
      }
    }
  }
  for (const destination of copies.values()) {
    const manifest = readManifest(destination);
    const fields = [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies];
    for (const name of fields.flatMap((field) => Object.keys(field ?? {}))) {
      const linked = copies.get(name);
      const link = path.join(destination, 'node_modules', name);
      if (!linked || existsSync(link)) continue;
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(linked, link, 'dir');
    }
  }
}

function readdirOf(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('a release to a local registry', () => {
  let registry: LocalRegistry;
  let workDir: string;

  beforeAll(async () => {
    // turbo is cached: after `pnpm build` (or the ^build of turbo test) this only checks the hashes.
    const filters = PUBLISHED_DIRECTORIES.map((dir: string) => `--filter=./${dir}`);
    const build = await runCommand(
      bin('turbo'),
      ['run', 'build', '--concurrency=2', '--output-logs=errors-only', ...filters],
      {
        cwd: root,
        timeoutMs: 600_000,
      },
    );
    expect(build.code, tail(build)).toBe(0);
    registry = await startLocalRegistry();
    workDir = mkdtempSync(path.join(os.tmpdir(), 'gw-release-'));
  }, 900_000);

  afterAll(async () => {
    await registry?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('versions with changesets, publishes every package, and npm installs @gw/router and @gw/pool that run the README example', async () => {
    const workspace = path.join(workDir, 'workspace');
    copyWorkspace(workspace);
    const env = withoutNpmSettings();

    const version = await runCommand(bin('changeset'), ['version'], {
      cwd: workspace,
      env,
      timeoutMs: 120_000,
    });
    expect(version.code, tail(version)).toBe(0);
    const published = PUBLISHED_DIRECTORIES.map((dir: string) => readManifest(path.join(workspace, dir)));
    for (const manifest of published) expect(manifest.version, manifest.name).not.toBe('0.0.0');
    const routerChangelog = readFileSync(path.join(workspace, 'packages/router/CHANGELOG.md'), 'utf8');
    expect(routerChangelog).toContain(`## ${published.find((m) => m.name === '@gw/router')?.version}`);

    // Only the @gw scope goes to the local registry: pnpm still resolves itself and other packages from npm's.
    const host = registry.url.replace(/^http:/, '');
    writeFileSync(
      path.join(workspace, '.npmrc'),
      `@gw:registry=${registry.url}\n${host}:_authToken=release-test\n`,
    );
    const publishEnv = { ...env, 'npm_config_@gw:registry': registry.url };
    const publish = await runCommand(bin('changeset'), ['publish', '--no-git-tag'], {
      cwd: workspace,
      env: publishEnv,
      timeoutMs: 300_000,
    });
    expect(publish.code, tail(publish, 40)).toBe(0);

    for (const manifest of published) {
      const document = registry.packuments.get(manifest.name);
      expect(document?.['dist-tags'].latest, `${manifest.name} on the registry`).toBe(manifest.version);
      // workspace:^ became a real range on the version each internal dependency was released at.
      for (const [dependency, range] of Object.entries(
        document?.versions[manifest.version]?.dependencies ?? {},
      )) {
        const internal = published.find((candidate) => candidate.name === dependency);
        if (internal) expect(range, `${manifest.name} -> ${dependency}`).toBe(`^${internal.version}`);
      }
    }

    const consumer = path.join(workDir, 'consumer');
    mkdirSync(consumer);
    writeFileSync(
      path.join(consumer, 'package.json'),
      '{ "name": "consumer", "private": true, "type": "module" }\n',
    );
    writeFileSync(path.join(consumer, '.npmrc'), `@gw:registry=${registry.url}\n`);
    const install = await runCommand(
      'npm',
      ['install', '--no-audit', '--no-fund', '@gw/router', '@gw/pool'],
      {
        cwd: consumer,
        env,
        timeoutMs: 300_000,
      },
    );
    expect(install.code, tail(install)).toBe(0);
    const router = readManifest(path.join(consumer, 'node_modules/@gw/router'));
    expect(router.version).toBe(published.find((m) => m.name === '@gw/router')?.version);
    expect(existsSync(path.join(consumer, 'node_modules/@gw/errors/dist/index.js'))).toBe(true);

    const readme = readFileSync(path.join(consumer, 'node_modules/@gw/router/README.md'), 'utf8');
    const example = extractRunnableExample(readme);
    expect(example?.language, 'the @gw/router README marks a ```ts runnable example').toBe('ts');
    writeFileSync(path.join(consumer, 'example.ts'), example?.source ?? '');
    const run = await runCommand(bin('tsx'), ['example.ts'], { cwd: consumer, env, timeoutMs: 60_000 });
    expect(run.code, tail(run)).toBe(0);
  });
});
