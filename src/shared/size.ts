const UNITS: Record<string, number> = {
  '': 1,
  B: 1,
  kB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
  PiB: 2 ** 50,
};

/** Bytes of a size as Incus and coi's config write it ("512MiB", "2GB", "1.5GiB", "4096"). */
export function bytesOf(size: string): number {
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(size);
  const unit = match ? UNITS[match[2]!] : undefined;
  if (!match || unit === undefined) throw new Error(`not a size: ${JSON.stringify(size)}`);
  return Math.ceil(Number(match[1]) * unit);
}
