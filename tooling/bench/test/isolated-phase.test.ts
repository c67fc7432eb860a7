import { describe, expect, it } from 'vitest';
import { reportPhase, runPhase } from '../src/isolated-phase.ts';

const fixture = new URL('./fixtures/phase.ts', import.meta.url);
const nodeArguments = ['--expose-gc', '--import', 'tsx'];

describe('runPhase', () => {
  it('runs the phase in a fresh process with the given Node flags and returns what it reported', async () => {
    const result = await runPhase<{ pid: number; args: string[]; gcExposed: string }>(
      fixture,
      ['report', 'extra'],
      nodeArguments,
    );
    expect(result.pid).not.toBe(process.pid);
    expect(result.args).toEqual(['report', 'extra']);
    expect(result.gcExposed).toBe('function');
  });

  it('rejects, naming the phase and its exit code, when the phase fails', async () => {
    await expect(runPhase(fixture, ['fail'], nodeArguments)).rejects.toThrow(/phase\.ts fail exited with 3/);
  });

  it('rejects when the phase ends without reporting', async () => {
    await expect(runPhase(fixture, ['silent'], nodeArguments)).rejects.toThrow(
      /phase\.ts silent ended without calling reportPhase/,
    );
  });
});

describe('reportPhase', () => {
  it('refuses to run outside runPhase, saying how to start the script', () => {
    const saved = process.env.GW_BENCH_PHASE_RESULT;
    delete process.env.GW_BENCH_PHASE_RESULT;
    try {
      expect(() => reportPhase({})).toThrow(/start this script through runPhase/);
    } finally {
      if (saved !== undefined) process.env.GW_BENCH_PHASE_RESULT = saved;
    }
  });
});
