// bench/proxy's figures from its paired rounds: per path and target, the median of the rounds'
// comparisons with the direct requests and download next to them, their spread, MET or MISSED.
import { median, percentile, spread } from './_paired.js';

/** One way from a container to a server on the gateway. */
export interface BenchPath {
  label: string;
  container: string;
  name: string;
  port: number;
}

export interface Download {
  mbps: number;
  /** CPU time of the bench's process (the proxy's) during it. */
  cpuMs: number;
}

/** One round of a proxied path: its requests' times (ms) and download, and the direct ones next to them. */
export interface Round {
  latency: { base: number[]; path: number[] };
  download: { base: Download; path: Download };
}

export const TARGET = { addedP50Ms: 2, throughputRatio: 1.2 } as const;

const met = (ok: boolean) => (ok ? 'MET' : 'MISSED');

export function report(
  direct: BenchPath,
  proxied: BenchPath[],
  rounds: ReadonlyMap<BenchPath, Round[]>,
): string {
  const all = [...rounds.values()].flat();
  const directTimes = all.flatMap((r) => r.latency.base);
  const directDownloads = all.map((r) => r.download.base);
  const n = (rounds.get(proxied[0]!) ?? []).length;
  const times = (label: string, xs: number[]) =>
    `${label.padEnd(9)} p50 ${median(xs).toFixed(2)}  p95 ${percentile(xs, 95).toFixed(2)}`;
  const downloads = (label: string, xs: Download[]) =>
    `${label.padEnd(9)} ${median(xs.map((d) => d.mbps)).toFixed(0)} MB/s ${spread(
      xs.map((d) => d.mbps),
      0,
    )}  CPU ${median(xs.map((d) => d.cpuMs)).toFixed(0)} ms`;
  const lines = [
    `HTTPS request on a new connection (ms): ${n} rounds; in each, a path's requests next to as many direct ones.`,
    `added p50 = median over the rounds of (path p50 − direct p50) [spread]; p50/p95 over all samples (direct n=${directTimes.length})`,
    `  ${times('direct', directTimes)}`,
    ...proxied.map((path) => {
      const rs = rounds.get(path)!;
      const added = rs.map((r) => median(r.latency.path) - median(r.latency.base));
      const ok = median(added) < TARGET.addedP50Ms;
      return `  ${times(
        path.label,
        rs.flatMap((r) => r.latency.path),
      )}  added p50 ${median(added).toFixed(2)} ${spread(added, 2)} ms (target < ${TARGET.addedP50Ms} ms) ${met(ok)}`;
    }),
    `100 MB download: ${n} rounds; in each, a path's download next to a direct one.`,
    `ratio = median over the rounds of direct MB/s ÷ path MB/s [spread]; MB/s median [spread]; CPU ms of the proxy's process, median`,
    `  ${downloads('direct', directDownloads)}`,
    ...proxied.map((path) => {
      const rs = rounds.get(path)!;
      const ratios = rs.map((r) => r.download.base.mbps / r.download.path.mbps);
      const ok = median(ratios) <= TARGET.throughputRatio;
      return `  ${downloads(
        path.label,
        rs.map((r) => r.download.path),
      )}  direct/${path.label} ${median(ratios).toFixed(2)}× ${spread(ratios, 2)} (target ≤ ${TARGET.throughputRatio}×) ${met(ok)}`;
    }),
  ];
  return lines.join('\n');
}
