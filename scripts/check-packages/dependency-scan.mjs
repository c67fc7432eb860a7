// Finds every package a tarball's JavaScript and types import, and which of them its package.json fails to declare.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const BUILTINS = new Set(builtinModules);
const STATIC_IMPORT = /^[ \t]*(?:import|export)\b[^;'"`]*?\bfrom\s*(['"])([^'"]+)\1/gm;
const SIDE_EFFECT_IMPORT = /^[ \t]*import\s*(['"])([^'"]+)\1/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*(['"])([^'"]+)\1\s*\)/g;
// require(), createRequire()'d functions (requireRanks) and import.meta.resolve() name packages too.
const REQUIRE_CALL = /\b(?:\w*[rR]equire\w*|import\.meta\.resolve)\(\s*(['"])([^'"]+)\1\s*\)/g;
const TYPE_ONLY = /^[ \t]*(?:import|export)\s+type\b/;

/** The package a bare specifier names, or undefined for relative paths, URLs and Node built-ins. */
export function packageNameOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#')) return undefined;
  if (/^[a-z]+:/.test(specifier)) return undefined; // node:, data:, file:
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return BUILTINS.has(name) ? undefined : name;
}

function* walk(dir) {
  for (const entry of readdirSync(dir)) {
    const file = path.join(dir, entry);
    if (statSync(file).isDirectory()) yield* walk(file);
    else yield file;
  }
}

/** @returns {{ name: string, file: string, kind: 'static' | 'dynamic' | 'types' }[]} */
export function scanImports(packageDir, manifest) {
  const found = [];
  const entry = manifest.exports?.['.']?.import ?? manifest.main ?? './dist/index.js';
  const roots = new Set(['dist', path.dirname(entry)]);
  for (const target of Object.values(manifest.bin ?? {})) roots.add(path.dirname(target));
  for (const root of roots) {
    const rootDir = path.join(packageDir, root);
    let files;
    try {
      files = [...walk(rootDir)];
    } catch {
      continue;
    }
    for (const file of files) {
      const isTypes = /\.d\.[cm]?ts$/.test(file);
      if (!isTypes && !/\.[cm]?js$/.test(file)) continue;
      const text = readFileSync(file, 'utf8');
      const relative = path.relative(packageDir, file);
      const add = (name, kind) =>
        name && name !== manifest.name && found.push({ name, file: relative, kind });
      for (const pattern of [STATIC_IMPORT, SIDE_EFFECT_IMPORT]) {
        for (const match of text.matchAll(pattern)) {
          const typeOnly = isTypes || TYPE_ONLY.test(match[0]);
          add(packageNameOf(match[2]), typeOnly ? 'types' : 'static');
        }
      }
      for (const pattern of [DYNAMIC_IMPORT, REQUIRE_CALL]) {
        for (const match of text.matchAll(pattern))
          add(packageNameOf(match[2]), isTypes ? 'types' : 'dynamic');
      }
    }
  }
  return found;
}

/**
 * Compares what the code imports with what package.json declares.
 * @returns {{ errors: string[], notes: string[] }}
 */
export function checkDeclaredDependencies(packageDir, manifest) {
  const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));
  const optionalDependencies = new Set(Object.keys(manifest.optionalDependencies ?? {}));
  const peers = manifest.peerDependencies ?? {};
  const optionalPeers = new Set(
    Object.keys(peers).filter((name) => manifest.peerDependenciesMeta?.[name]?.optional === true),
  );
  const devDependencies = new Set(Object.keys(manifest.devDependencies ?? {}));
  const errors = [];
  const reported = new Set();
  const used = new Set();
  for (const { name, file, kind } of scanImports(packageDir, manifest)) {
    used.add(name);
    if (dependencies.has(name) || optionalDependencies.has(name)) continue;
    if (name in peers && !optionalPeers.has(name)) continue;
    let message;
    if (optionalPeers.has(name)) {
      if (kind !== 'static') continue; // a lazy import or a type is fine for an optional peer
      message = `${file} imports the optional peer "${name}" at load time; import it lazily (or type-only) so the package loads without it`;
    } else if (devDependencies.has(name)) {
      message = `"${name}" is imported by ${file} (${kind}) but is only a devDependency: move it to dependencies`;
    } else {
      message = `missing dependency "${name}": imported by ${file} (${kind}) but not declared in package.json dependencies`;
    }
    if (reported.has(name)) continue; // one message per package name is enough to act on
    reported.add(name);
    errors.push(message);
  }
  const notes = [...dependencies]
    .filter((name) => !used.has(name))
    .map((name) => `declared but not imported: ${name}`);
  return { errors, notes };
}
