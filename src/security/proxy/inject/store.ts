import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { caFiles, LeafIssuer } from './ca.js';
import type { InjectRule } from './rules.js';

/**
 * A container's credential injection on the host, under `<coiDir>/proxy/<container>/`: its CA
 * (ca.pem, ca.key) and its rules (inject.json, 0600: an `env` source's value is kept there, as
 * the daemon does not share the launching shell's environment). Written at launch, read by the
 * monitor daemon when it registers the container, removed with the container.
 */
export function injectionDir(coiDir: string, container: string): string {
  return join(coiDir, 'proxy', container);
}

/** What the egress proxy needs to inject for one container. */
export interface ContainerInjection {
  rules: InjectRule[];
  issuer: LeafIssuer;
}

export async function writeInjectRules(dir: string, rules: InjectRule[]): Promise<void> {
  await writeFile(join(dir, 'inject.json'), `${JSON.stringify(rules, null, 2)}\n`, {
    mode: 0o600,
  });
}

/** The container's injection, or undefined when it has none (or its files are unreadable). */
export function loadInjection(dir: string): ContainerInjection | undefined {
  const path = join(dir, 'inject.json');
  const ca = caFiles(dir);
  if (!existsSync(path) || !existsSync(ca.key)) return undefined;
  const rules = JSON.parse(readFileSync(path, 'utf8')) as InjectRule[];
  return rules.length > 0 ? { rules, issuer: new LeafIssuer(ca) } : undefined;
}

export async function removeInjection(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
