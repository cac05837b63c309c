// bench/proxy's figures from its paired rounds: per path and target, the median of the rounds'
// comparisons with the direct requests and download next to them, their spread, MET or MISSED.
import { median, percentile, spread } from './_paired.js';

/** One way from a container to a server on the gateway. */
export interface BenchPath {
  label: string;
  container: string;
  name: string;
  port: number;
  /** After each URL's path (`?close`: the server closes the connection after its answer). */
  query?: string;
}

export interface Download {
  mbps: number;
  /** CPU time of the bench's process (the proxy's) during it. */
  cpuMs: number;
}

/** A proxied path's round: its requests' times (ms) and download, and the direct ones beside them. */
export interface Round {
  latency: { base: number[]; path: number[] };
  download: { base: Download; path: Download };
}

export const DOWNLOAD_MB = 100;
export const TARGET = { addedP50Ms: 2, throughputRatio: 1.2 } as const;

const met = (ok: boolean) => (ok ? 'MET' : 'MISSED');

export function report(
  direct: BenchPath,
  proxied: BenchPath[],
  rounds: ReadonlyMap<BenchPath, Round[]>,
  /** CPU ms of a loopback TLS pair in the bench's process moving the download, per round. */
  tlsFloorMs: number[],
): string {
  const all = [...rounds.values()].flat();
  const n = (rounds.get(proxied[0]!) ?? []).length;
  const width = Math.max(...[direct, ...proxied].map((p) => p.label.length)) + 1;
  const times = (label: string, xs: number[]) =>
    `  ${label.padEnd(width)} p50 ${median(xs).toFixed(2)}  p95 ${percentile(xs, 95).toFixed(2)}`;
  const downloads = (label: string, xs: Download[]) => {
    const mbps = xs.map((d) => d.mbps);
    const cpu = median(xs.map((d) => d.cpuMs)).toFixed(0);
    return `  ${label.padEnd(width)} ${median(mbps).toFixed(0)} MB/s ${spread(mbps, 0)}  CPU ${cpu} ms`;
  };
  const latencyLine = (path: BenchPath) => {
    const rs = rounds.get(path)!;
    const added = rs.map((r) => median(r.latency.path) - median(r.latency.base));
    const figure = `added p50 ${median(added).toFixed(2)} ${spread(added, 2)} ms`;
    const verdict = `(target < ${TARGET.addedP50Ms} ms) ${met(median(added) < TARGET.addedP50Ms)}`;
    return `${times(
      path.label,
      rs.flatMap((r) => r.latency.path),
    )}  ${figure} ${verdict}`;
  };
  const throughputLine = (path: BenchPath) => {
    const rs = rounds.get(path)!;
    const ratios = rs.map((r) => r.download.base.mbps / r.download.path.mbps);
    const figure = `direct/path ${median(ratios).toFixed(2)}× ${spread(ratios, 2)}`;
    const verdict = `(target ≤ ${TARGET.throughputRatio}×) ${met(median(ratios) <= TARGET.throughputRatio)}`;
    return `${downloads(
      path.label,
      rs.map((r) => r.download.path),
    )}  ${figure} ${verdict}`;
  };
  return [
    `HTTPS request on a new connection (ms): ${n} rounds; in each, a path's requests alternate with as many direct ones.`,
    `added p50: median over the rounds of (path p50 − direct p50) [spread]; p50 and p95 of all samples.`,
    times(
      'direct',
      all.flatMap((r) => r.latency.base),
    ),
    ...proxied.map(latencyLine),
    `${DOWNLOAD_MB} MB download: ${n} rounds; in each, a path's download next to a direct one.`,
    `direct/path: median over the rounds of direct MB/s ÷ path MB/s [spread]; MB/s median [spread]; CPU: the proxy's process, median.`,
    downloads(
      'direct',
      all.map((r) => r.download.base),
    ),
    ...proxied.map(throughputLine),
    `TLS floor: ${median(tlsFloorMs).toFixed(0)} ms ${spread(tlsFloorMs, 0)} CPU for a TLS server and client in the proxy's process to encrypt and decrypt ${DOWNLOAD_MB} MB (what the injector does to each byte), median.`,
  ].join('\n');
}
