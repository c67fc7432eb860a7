// Pulls the runnable example out of a package README: the first ```ts block whose info string says `runnable`.
import { packageNameOf } from './dependency-scan.mjs';

const FENCE = /^```([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm;

/** @returns {string | undefined} the example's source, or undefined when the README marks none runnable */
export function extractRunnableExample(readme) {
  for (const match of readme.matchAll(FENCE)) {
    const words = match[1].trim().split(/\s+/);
    if (['ts', 'typescript'].includes(words[0]) && words.includes('runnable')) return match[2];
  }
  return undefined;
}

/** Packages the example imports besides the package itself (for instance an optional peer such as ioredis). */
export function exampleImports(source) {
  const names = new Set();
  for (const match of source.matchAll(/\bfrom\s*(['"])([^'"]+)\1|\bimport\(\s*(['"])([^'"]+)\3\s*\)/g)) {
    const name = packageNameOf(match[2] ?? match[4]);
    if (name) names.add(name);
  }
  return [...names];
}
