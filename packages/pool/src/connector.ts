// Opens upstream sockets for one origin: connect timeout, DNS cache, ALPN/h2c, timing hooks and pre-warming.
import type { LookupFunction, Socket } from 'node:net';
import type { buildConnector as BuildConnector } from 'undici';
import { callHook } from './call-hook.ts';
import type { OriginOptions, PoolHooks } from './types.ts';
import { buildConnector } from './undici-parts.ts';

export interface OriginConnector {
  connect: BuildConnector.connector;
  /** Opens `count` sockets now and hands them to the first connection requests. */
  prewarm(count: number): void;
  destroy(): void;
}

export interface ConnectorSettings {
  origin: string;
  connectMs: number;
  options: OriginOptions;
  lookup: LookupFunction | undefined;
  hooks: PoolHooks | undefined;
}

export function createOriginConnector(settings: ConnectorSettings): OriginConnector {
  const { origin, options, hooks } = settings;
  const build = buildConnector({
    ...options.tls,
    timeout: settings.connectMs,
    allowH2: options.allowH2 || options.h2c,
    useH2c: options.h2c,
    ...(settings.lookup === undefined ? {} : { lookup: settings.lookup }),
  } as BuildConnector.BuildOptions);
  const onConnect = hooks?.onConnect;
  const timed: BuildConnector.connector =
    onConnect === undefined
      ? build
      : (connectOptions, callback) => {
          const started = performance.now();
          build(connectOptions, (...args) => {
            if (args[0] === null) callHook(onConnect, { origin, connectMs: performance.now() - started });
            callback(...args);
          });
        };

  const warm: Socket[] = [];
  // Connection requests that arrived while a pre-warm connect was still under way wait for its socket.
  const waiting: Array<{ options: BuildConnector.Options; callback: BuildConnector.Callback }> = [];
  let warming = 0;
  let destroyed = false;
  const url = new URL(origin);
  const target: BuildConnector.Options = {
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    host: url.host,
    protocol: url.protocol,
    port: url.port,
  };

  function handOut(socket: Socket, callback: BuildConnector.Callback): void {
    socket.removeAllListeners('close');
    socket.removeAllListeners('error');
    socket.ref();
    callback(null, socket);
  }

  function warmed(error: Error | null, socket: Socket | null): void {
    warming--;
    const waiter = waiting.shift();
    if (error !== null || socket === null) {
      // A failed pre-warm is nobody's error: a waiting request connects (and reports) by itself.
      if (waiter !== undefined) timed(waiter.options, waiter.callback);
      return;
    }
    if (waiter !== undefined) {
      handOut(socket, waiter.callback);
      return;
    }
    // The pool closed while this socket was connecting: nobody will use it, and unreferenced it would linger.
    if (destroyed) {
      socket.destroy();
      return;
    }
    socket.unref();
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      const at = warm.indexOf(socket);
      if (at !== -1) warm.splice(at, 1);
    });
    warm.push(socket);
  }

  return {
    connect(connectOptions, callback) {
      while (warm.length > 0) {
        const socket = warm.shift()!;
        if (!socket.destroyed) {
          handOut(socket, callback);
          return;
        }
      }
      if (warming > waiting.length) {
        waiting.push({ options: connectOptions, callback });
        return;
      }
      timed(connectOptions, callback);
    },
    prewarm(count) {
      for (let index = 0; index < count; index++) {
        warming++;
        timed(target, warmed as BuildConnector.Callback);
      }
    },
    destroy() {
      destroyed = true;
      for (const socket of warm.splice(0)) socket.destroy();
    },
  };
}
