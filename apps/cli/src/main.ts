#!/usr/bin/env node
// The `gw` executable: runs the command tree on this process's arguments and exits with its code.
import { runCli } from './program.ts';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stdin: process.stdin,
});
// Exit explicitly once output is flushed: keep-alive sockets must not hold a finished command open.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
