// Runs publint and @arethetypeswrong/cli on a tarball: the two linters npm package authors rely on.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { runCommand, tail } from './run-command.mjs';

/** @returns {Promise<{ errors: string[], notes: string[] }>} publint errors fail; warnings and suggestions are notes */
export async function runPublint(tarball) {
  const data = readFileSync(tarball);
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  const { messages, pkg } = await publint({ pack: { tarball: buffer }, level: 'suggestion', strict: false });
  const errors = [];
  const notes = [];
  for (const message of messages) {
    const text = `publint ${message.type} ${message.code}: ${formatMessage(message, pkg, { color: false }) ?? ''}`;
    (message.type === 'error' ? errors : notes).push(text);
  }
  return { errors, notes };
}

/**
 * The packages are ESM-only, and Node 20.19+ loads them from require() too, so the esm-only profile applies:
 * it leaves out node10 and node16-from-CommonJS resolution, which would only report "CJS resolves to ESM".
 * @returns {Promise<{ errors: string[], notes: string[] }>}
 */
export async function runAttw(tarball, root) {
  const bin = path.join(root, 'node_modules', '.bin', 'attw');
  const result = await runCommand(bin, [tarball, '--profile', 'esm-only', '--format', 'ascii'], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeoutMs: 120_000,
  });
  if (result.code === 0) return { errors: [], notes: [] };
  return { errors: [`attw found problems:\n${tail(result, 30)}`], notes: [] };
}
