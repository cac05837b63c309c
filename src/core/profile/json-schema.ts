import { z } from 'zod';
import { profileSchema } from '../config/schema.js';

type Override = NonNullable<Parameters<typeof z.toJSONSchema>[1]>['override'];

/**
 * Rules zod can only check in code (refinements) have no JSON Schema keyword; their messages
 * ("a path starting with / or ~/") become the value's description instead.
 */
const describeRefinements: Override = ({ zodSchema, jsonSchema }) => {
  const messages = (zodSchema._zod.def.checks ?? [])
    .map((check) => check._zod.def)
    .filter((def) => def.check === 'custom')
    .map((def) => (def.error as ((issue: object) => unknown) | undefined)?.({}))
    .filter((message): message is string => typeof message === 'string');
  if (messages.length && jsonSchema.description === undefined)
    jsonSchema.description = messages.join('; ');
};

/**
 * The JSON Schema (2020-12) of a profile's config.toml, generated from the zod schema coi itself
 * validates with, so the two cannot drift apart. TOML and JSON share the data model of every type
 * used, so a parsed config.toml can be checked against it directly.
 */
export function profileJsonSchema(): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(profileSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override: describeRefinements,
  });
  return {
    $schema,
    title: 'coi profile config.toml',
    description:
      'A coi profile: ~/.coi/profiles/NAME/config.toml or ./.coi/profiles/NAME/config.toml. Every key is optional; unset keys come from the configuration layers below the profile. `coi validate profile FILE` applies the same rules and a few this schema can only describe (paths, host names).',
    ...schema,
  };
}
