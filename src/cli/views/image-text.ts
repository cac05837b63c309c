import type { ImageSummary } from '../../core/image/catalog.js';
import type { Image } from '../../incus/image-types.js';
import { formatTable } from '../table.js';

export const mebibytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Incus's zero time means the event never happened. */
const when = (timestamp: string) => (timestamp.startsWith('0001-01-01') ? 'never' : timestamp);
const yesNo = (flag: boolean) => (flag ? 'yes' : 'no');

/** `coi image info`: what `incus image info` shows. */
export function imageInfoText(image: Image): string {
  const properties = Object.entries(image.properties ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const aliases = image.aliases ?? [];
  return [
    `Fingerprint: ${image.fingerprint}`,
    `Size: ${mebibytes(image.size)}`,
    `Architecture: ${image.architecture}`,
    `Type: ${image.type}`,
    `Public: ${yesNo(image.public)}`,
    'Timestamps:',
    `    Created: ${when(image.created_at)}`,
    `    Uploaded: ${when(image.uploaded_at)}`,
    `    Expires: ${when(image.expires_at)}`,
    `    Last used: ${when(image.last_used_at)}`,
    'Properties:',
    ...properties.map(([key, value]) => `    ${key}: ${value}`),
    'Aliases:',
    ...aliases.map((a) => `    - ${a.name}${a.description ? ` (${a.description})` : ''}`),
    `Cached: ${yesNo(image.cached)}`,
    `Auto update: ${image.auto_update ? 'enabled' : 'disabled'}`,
    'Profiles:',
    ...(image.profiles ?? []).map((p) => `    - ${p}`),
  ].join('\n');
}

/** `coi image list`: one row per image. */
export function imageTable(images: ImageSummary[]): string {
  return formatTable(
    ['ALIAS', 'FINGERPRINT', 'SIZE', 'CREATED', 'DESCRIPTION'],
    images.map((i) => [
      i.aliases.join(',') || '-',
      i.fingerprint.slice(0, 12),
      mebibytes(i.size),
      i.created_at.slice(0, 19).replace('T', ' '),
      i.description,
    ]),
  );
}
