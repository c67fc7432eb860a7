import { describe, expect, it } from 'vitest';
import { runGw } from './run-gw.ts';

describe('gw (the binary)', () => {
  it('prints help listing every command and exits 0', async () => {
    const result = await runGw(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'tokens', 'config', 'health', 'models', 'chat', 'bench']) {
      expect(result.stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    }
    expect(result.stdout).toContain('Exit codes');
  });

  it.each([['serve'], ['tokens'], ['config', 'check'], ['health'], ['models'], ['chat'], ['bench']])(
    'has help for `gw %s`',
    async (...command: string[]) => {
      const result = await runGw([...command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: gw ${command.join(' ')}`);
      expect(result.stdout).toContain('Exit codes');
    },
  );

  it('exits 0 after `gw help` and `gw help <command>` print help, as --help does', async () => {
    const overview = await runGw(['help']);
    expect(overview.code).toBe(0);
    expect(overview.stdout).toContain('Usage: gw');
    const tokens = await runGw(['help', 'tokens']);
    expect(tokens.code).toBe(0);
    expect(tokens.stdout).toContain('Usage: gw tokens');
  });

  it('exits 2 showing the subcommands when `gw config` is run without one', async () => {
    const result = await runGw(['config']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: gw config');
  });

  it('prints its version', async () => {
    const result = await runGw(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 with a message for an unknown command', async () => {
    const result = await runGw(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });

  it('exits 2 when run without a command', async () => {
    const result = await runGw([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: gw');
  });

  it('exits 2 naming the option for a malformed number', async () => {
    const result = await runGw([
      'bench',
      '--url',
      'http://127.0.0.1:9',
      '--model',
      'm',
      '--connections',
      'lots',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '-c, --connections <n>' argument 'lots' is invalid");
  });

  it('exits 2 for a URL that is not http', async () => {
    const result = await runGw(['health', '--url', 'ftp://example.com']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected an http(s) URL');
  });

  it('exits 2 when a required option is missing', async () => {
    const result = await runGw(['chat', 'hello']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '-m, --model <model>' not specified");
  });
});
