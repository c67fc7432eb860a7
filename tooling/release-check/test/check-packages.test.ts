// check:packages on two fixture packages that differ only in declaring their runtime dependency.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../scripts/check-packages/run-command.mjs';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const fixture = (name: string) => path.join('tooling', 'release-check', 'fixtures', name);

/** The result row of one package in the checker's table, by column name. */
function row(output: string, name: string): Record<string, string> {
  const lines = output.split('\n').filter((line) => line.startsWith('| '));
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
  const header = cells(lines[0] ?? '');
  const values = cells(lines.find((line) => cells(line)[0] === name) ?? '');
  return Object.fromEntries(header.map((column, index) => [column, values[index] ?? '']));
}

describe('pnpm check:packages', () => {
  let result: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    result = await runCommand(
      'node',
      [
        'scripts/check-packages/index.mjs',
        '--dir',
        fixture('complete'),
        '--dir',
        fixture('missing-dependency'),
      ],
      { cwd: root, timeoutMs: 600_000 },
    );
  }, 660_000);

  it('exits non-zero when a package uses a runtime dependency missing from its package.json', () => {
    expect(result.code, result.stderr).toBe(1);
  });

  it('names the missing dependency and the file that imports it', () => {
    expect(result.stdout).toContain(
      'missing dependency "ms": imported by lib/index.js (static) but not declared in package.json dependencies',
    );
    expect(result.stdout).toContain("Cannot find package 'ms'");
  });

  it('fails the broken package on the dependency scan and on loading it from ESM and CommonJS', () => {
    const broken = row(result.stdout, '@gw-fixture/missing-dependency');
    expect(broken).toMatchObject({
      metadata: 'ok',
      deps: 'FAIL',
      install: 'ok',
      esm: 'FAIL',
      cjs: 'FAIL',
      readme: 'FAIL',
    });
  });

  it('passes every step for the same package with the dependency declared', () => {
    const complete = row(result.stdout, '@gw-fixture/complete');
    expect(complete).toMatchObject({
      metadata: 'ok',
      deps: 'ok',
      install: 'ok',
      esm: 'ok',
      cjs: 'ok',
      bin: '-',
      types: 'ok',
      readme: 'ok',
      publint: 'ok',
      attw: 'ok',
    });
    expect(result.stdout).toContain('1 passed, 1 failed');
  });
});
