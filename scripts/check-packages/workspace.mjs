// Finds the workspace's packages and the @gw closure each published package needs installed beside it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The packages users install: libraries and the two apps. */
export const PUBLISHED_DIRECTORIES = [
  'packages/errors',
  'packages/tokens',
  'packages/ratelimit',
  'packages/pool',
  'packages/router',
  'packages/core',
  'apps/proxy',
  'apps/cli',
];

/** @returns {{ dir: string, manifest: Record<string, any> }} */
export function readPackage(dir) {
  return { dir, manifest: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) };
}

/** Every package of the workspace by name (the globs of pnpm-workspace.yaml are one level deep). */
export function workspacePackages(root) {
  const byName = new Map();
  for (const group of ['packages', 'apps', 'tooling']) {
    const groupDir = path.join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of readdirSync(groupDir)) {
      const dir = path.join(groupDir, entry);
      if (!existsSync(path.join(dir, 'package.json'))) continue;
      const pkg = readPackage(dir);
      byName.set(pkg.manifest.name, pkg);
    }
  }
  return byName;
}

/** Names of the workspace packages a package needs at run time, transitively, itself excluded. */
export function internalClosure(manifest, byName) {
  const seen = new Set();
  const visit = (current) => {
    for (const name of Object.keys(current.dependencies ?? {})) {
      if (seen.has(name) || !byName.has(name)) continue;
      seen.add(name);
      visit(byName.get(name).manifest);
    }
  };
  visit(manifest);
  seen.delete(manifest.name);
  return [...seen];
}
