/**
 * `[[network.proxy.inject]]` as the egress proxy applies it: for a name, the header it sets on
 * every request, with a secret read on the host.
 */

/**
 * An OAuth login in a JSON file that coi renews on the host with its refresh token
 * (`grant_type=refresh_token`), writing the new tokens back into the file. The pointers are into
 * that file; the source's own pointer is the access token's.
 */
export interface OAuthRefresh {
  tokenUrl: string;
  clientId: string;
  refreshPointer: string;
  /** Milliseconds since the epoch. */
  expiresAtPointer: string;
  /** Sent as the tool itself sends it (its endpoint may turn other clients away). */
  userAgent?: string;
}

/** Where a secret is read on the host; the container never holds it. */
export type SecretSource =
  | { kind: 'file'; path: string; pointer: string; refresh?: OAuthRefresh }
  /** An environment variable's value, read by the launching CLI (the daemon has no such env). */
  | { kind: 'value'; value: string }
  | { kind: 'command'; command: string };

export interface InjectRule {
  /** `api.example.com`, or `*.example.com` for any name under it. */
  domain: string;
  /** The header set (replacing any the container sent). */
  header: string;
  source: SecretSource;
  /** How the header's value is built from the secret: `{}` stands for it (`Bearer {}`). */
  format: string;
}

/** The first rule for an SNI name (lowercase, no trailing dot). */
export function injectRuleFor(name: string, rules: readonly InjectRule[]): InjectRule | undefined {
  return rules.find((rule) =>
    rule.domain.startsWith('*.') ? name.endsWith(rule.domain.slice(1)) : name === rule.domain,
  );
}

export function headerValue(rule: InjectRule, secret: string): string {
  return rule.format.replaceAll('{}', secret);
}
