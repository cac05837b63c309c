import type { Command } from 'commander';
import { printJson } from '../output.js';

export function registerSchema(program: Command): void {
  const schema = program
    .command('schema')
    .description('print JSON Schemas of coi’s file formats, for editors and other tools');

  schema
    .command('profile')
    .description('print the JSON Schema (2020-12) of a profile’s config.toml; reads no config')
    .action(async () => {
      const { profileJsonSchema } = await import('../../core/profile/json-schema.js');
      printJson(profileJsonSchema());
    });
}
