import { describe, expect, it } from 'vitest';
import { knownKeyPaths, profileSchema } from '../../../../src/core/config/schema.js';
import { profileJsonSchema } from '../../../../src/core/profile/json-schema.js';

interface Node {
  type?: string;
  properties?: Record<string, Node>;
  additionalProperties?: unknown;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  description?: string;
  items?: Node;
}

const schema = profileJsonSchema() as unknown as Node & { $schema: string; title: string };

function at(path: string): Node | undefined {
  let node: Node | undefined = schema;
  for (const key of path.split('.')) node = node?.properties?.[key];
  return node;
}

function tables(node: Node, path = ''): [string, Node][] {
  if (node.type !== 'object' || !node.properties) return [];
  return [
    [path || '(root)', node],
    ...Object.entries(node.properties).flatMap(([k, v]) => tables(v, path ? `${path}.${k}` : k)),
  ];
}

describe('profileJsonSchema', () => {
  it('is a JSON Schema 2020-12 document describing a profile', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('coi profile config.toml');
    expect(schema.type).toBe('object');
  });

  it('has every key the validator knows, and no other', () => {
    const described = tables(schema).flatMap(([path, node]) =>
      Object.keys(node.properties!).map((k) => (path === '(root)' ? k : `${path}.${k}`)),
    );
    expect(described.sort()).toEqual(knownKeyPaths(profileSchema).sort());
  });

  it('refuses unknown keys in every table and requires none (a profile sets what it changes)', () => {
    for (const [path, node] of tables(schema)) {
      expect(node.additionalProperties, path).toBe(false);
      expect(node.required, path).toBeUndefined();
    }
  });

  it('carries the enumerations, patterns and bounds of the validator', () => {
    expect(at('network.mode')?.enum).toEqual(['restricted', 'allowlist', 'open']);
    expect(at('tool.permission_mode')?.enum).toEqual(['bypass', 'interactive']);
    expect(at('inherits')?.pattern).toBe('^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$');
    expect(at('limits.cpu.priority')).toMatchObject({ type: 'integer', minimum: 0, maximum: 10 });
    expect(at('defaults.forward_env')?.items?.pattern).toBe('^[A-Za-z_][A-Za-z0-9_]*$');
  });

  it('describes the rules it has no keyword for with the validator’s own words', () => {
    expect(at('paths.logs_dir')?.description).toBe('a path starting with / or ~/');
    expect(at('limits.runtime.max_duration')?.description).toBe(
      '"" or a duration such as "2h" or "1h30m"',
    );
  });
});
