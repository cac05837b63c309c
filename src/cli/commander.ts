import Module, { createRequire } from 'node:module';
import type * as Commander from 'commander';

/**
 * commander, loaded without node:child_process: commander requires it when it loads, for
 * executable subcommands only (coi has none), and compiling child_process with what it pulls in
 * (dgram, the socket list, …) is a tenth of coi's start-up. While commander loads, its require of
 * it gets a stand-in that loads the real module on first use.
 */
function loadCommander(): typeof Commander {
  const proto = Module.prototype as { require: (id: string) => unknown };
  const load = proto.require;
  proto.require = function (this: unknown, id: string) {
    if (id !== 'node:child_process') return load.call(this, id);
    return new Proxy({}, { get: (_, key) => (load.call(this, id) as never)[key] });
  };
  try {
    // commander is CommonJS: `require` skips the ES-module wrapper's export scan of its sources.
    return createRequire(import.meta.url)('commander') as typeof Commander;
  } finally {
    proto.require = load;
  }
}

const commander = loadCommander();

export const Argument = commander.Argument;
export type Argument = Commander.Argument;
export const Command = commander.Command;
export type Command = Commander.Command;
export const CommanderError = commander.CommanderError;
export type CommanderError = Commander.CommanderError;
export const Option = commander.Option;
export type Option = Commander.Option;
