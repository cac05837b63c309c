import { createRequire } from 'node:module';
import type * as Commander from 'commander';

// commander is CommonJS: `require` skips the ES-module wrapper's export scan of its sources, a
// few milliseconds of every coi start.
const commander = createRequire(import.meta.url)('commander') as typeof Commander;

export const Argument = commander.Argument;
export type Argument = Commander.Argument;
export const Command = commander.Command;
export type Command = Commander.Command;
export const CommanderError = commander.CommanderError;
export type CommanderError = Commander.CommanderError;
export const Option = commander.Option;
export type Option = Commander.Option;
