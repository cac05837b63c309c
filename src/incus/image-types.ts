/** Image resources as the daemon returns them (shared/api/image.go). */

export interface ImageAlias {
  name: string;
  description: string;
}

export interface Image {
  fingerprint: string;
  filename: string;
  size: number;
  architecture: string;
  type: string;
  public: boolean;
  cached: boolean;
  auto_update: boolean;
  aliases: ImageAlias[] | null;
  properties: Record<string, string> | null;
  profiles: string[] | null;
  created_at: string;
  uploaded_at: string;
  last_used_at: string;
  expires_at: string;
  project?: string;
}

export interface ImageAliasEntry {
  name: string;
  target: string;
  description: string;
  type: string;
}

export interface ImageImportResult {
  fingerprint: string;
  size: number;
}

export type PublishSource =
  | { type: 'instance'; name: string }
  | { type: 'snapshot'; name: string /* "<instance>/<snapshot>" */ };

export interface PublishRequest {
  source: PublishSource;
  aliases?: ImageAlias[];
  properties?: Record<string, string>;
  /** e.g. "none" (fast) or "gzip"; the server's default when absent. */
  compression_algorithm?: string;
  public?: boolean;
}
