/** Progress of a running operation (image unpack, download, publish pack, …), for progress bars. */
export interface OperationProgress {
  /** The daemon's stage name, e.g. `create_instance_from_image_unpack`, `create_image_from_container_pack`. */
  stage: string;
  /** 0–100 when the daemon knows the total. */
  percent?: number;
  /** Bytes processed so far when it does not. */
  processed?: number;
  /** Bytes per second. */
  speed?: number;
  /** The daemon's own one-line rendering, e.g. `Unpack: 45% (120.00MB/s)`. */
  text?: string;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Reads progress from operation metadata. Incus sets `progress: {stage, percent, processed,
 * speed}` (all strings) plus `<stage>_progress` with a formatted line; older paths set only the
 * latter, from which the percentage is parsed.
 */
export function parseProgress(metadata: unknown): OperationProgress | undefined {
  if (!metadata || typeof metadata !== 'object') return undefined;
  const meta = metadata as Record<string, unknown>;
  const structured = meta.progress as Record<string, unknown> | undefined;
  if (structured && typeof structured === 'object' && typeof structured.stage === 'string') {
    const text = meta[`${structured.stage}_progress`];
    return {
      stage: structured.stage,
      percent: toNumber(structured.percent),
      processed: toNumber(structured.processed),
      speed: toNumber(structured.speed),
      text: typeof text === 'string' ? text : undefined,
    };
  }
  for (const [key, value] of Object.entries(meta)) {
    if (!key.endsWith('_progress') || typeof value !== 'string') continue;
    const percent = /(\d+(?:\.\d+)?)%/.exec(value);
    return {
      stage: key.slice(0, -'_progress'.length),
      percent: percent ? Number(percent[1]) : undefined,
      text: value,
    };
  }
  return undefined;
}
