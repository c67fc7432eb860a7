// EVALSHA and EVAL on an ioredis Redis or Cluster, sent outside its auto-pipelining: the store batches already.
import type { Cluster, Redis } from 'ioredis';

/** The two calls the store makes; ioredis flattens the array arguments. */
export interface ScriptClient {
  evalsha(sha: string, numberOfKeys: number, keys: string[], args: (string | number)[]): Promise<unknown>;
  eval(source: string, numberOfKeys: number, keys: string[], args: (string | number)[]): Promise<unknown>;
}

type Send = (this: Redis | Cluster, ...args: unknown[]) => Promise<unknown>;

/** ioredis's Commander method behind its `xxxBuffer` variants: a command function that never auto-pipelines. */
interface BuiltinCommands {
  createBuiltinCommand?: (name: string) => { string: Send };
}

/**
 * An auto-pipelined call waits for a setImmediate, costs a Pipeline and extra promises, and waits for the
 * previous pipeline's reply: for a batch of up to 64 decisions that is pure overhead (about 1.5 µs of client CPU
 * per decision at 64 callers). A client without `createBuiltinCommand` (a test double) is used as it is.
 */
export function scriptClientOf(client: Redis | Cluster): ScriptClient {
  const commands = client as unknown as BuiltinCommands & ScriptClient;
  if (typeof commands.createBuiltinCommand !== 'function') return commands;
  const evalsha = commands.createBuiltinCommand('evalsha').string;
  const evalScript = commands.createBuiltinCommand('eval').string;
  return {
    evalsha: (sha, numberOfKeys, keys, args) => evalsha.call(client, sha, numberOfKeys, keys, args),
    eval: (source, numberOfKeys, keys, args) => evalScript.call(client, source, numberOfKeys, keys, args),
  };
}
