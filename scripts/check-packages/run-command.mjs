// Runs a child process with a hard timeout and captures its output, so one hung step cannot stall the check.
import { spawn } from 'node:child_process';

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} options
 * @returns {Promise<{ code: number, stdout: string, stderr: string, timedOut: boolean }>}
 */
export function runCommand(command, args, { cwd, env = process.env, timeoutMs = 300_000 }) {
  return new Promise((resolve) => {
    // Its own process group, so a timeout also ends the grandchildren (npm, node examples).
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: `${stderr}${error.message}`, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? 124 : (code ?? 1), stdout, stderr, timedOut });
    });
  });
}

/** The last lines of a command's output, for failure messages that stay readable. */
export function tail(result, lines = 15) {
  const text = `${result.stdout}\n${result.stderr}`.trim();
  // Stack frames and the Node version banner only push the error message out of view.
  const meaningful = text.split('\n').filter((line) => !/^\s+at\s|^Node\.js v\d|^\s*$/.test(line));
  const kept = meaningful.slice(-lines).join('\n');
  return result.timedOut ? `timed out\n${kept}` : kept;
}
