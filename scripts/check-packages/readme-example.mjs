// Pulls the runnable example out of a package README: the first ```ts (or ```sh, for a CLI) block marked `runnable`.
import { packageNameOf } from './dependency-scan.mjs';

const FENCE = /^```([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm;
const LANGUAGES = { ts: 'ts', typescript: 'ts', sh: 'sh', bash: 'sh', shell: 'sh' };

/** @returns {{ language: 'ts' | 'sh', source: string } | undefined} undefined when the README marks none runnable */
export function extractRunnableExample(readme) {
  for (const match of readme.matchAll(FENCE)) {
    const words = match[1].trim().split(/\s+/);
    const language = LANGUAGES[words[0]];
    if (language && words.includes('runnable')) return { language, source: match[2] };
  }
  return undefined;
}

/** Packages a TypeScript example imports besides the package itself (for instance an optional peer such as ioredis). */
export function exampleImports(example) {
  if (example?.language !== 'ts') return [];
  const names = new Set();
  for (const match of example.source.matchAll(
    /\bfrom\s*(['"])([^'"]+)\1|\bimport\(\s*(['"])([^'"]+)\3\s*\)/g,
  )) {
    const name = packageNameOf(match[2] ?? match[4]);
    if (name) names.add(name);
  }
  return [...names];
}
