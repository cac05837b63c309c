/** Destination ports as the config and the command line write them: `443`, `8000-8100`. */

/** One port, or an inclusive range of them. */
export type PortSpec = number | readonly [from: number, to: number];

/** An inclusive range, `from` ≤ `to`. */
export type PortSpan = readonly [from: number, to: number];

export class PortListError extends Error {}

/**
 * Parses `80`, `8000-8100` or a comma list of both (`80,8000-8100`). Throws PortListError saying
 * which item is wrong and why.
 */
export function parsePortList(text: string): PortSpec[] {
  return text.split(',').map((item) => parsePortItem(item.trim()));
}

function parsePortItem(item: string): PortSpec {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(item);
  if (!match)
    throw new PortListError(`"${item}" is not a port (1-65535) or a range like 8000-8100`);
  const from = checkedPort(match[1]!, item);
  if (match[2] === undefined) return from;
  const to = checkedPort(match[2], item);
  if (from >= to)
    throw new PortListError(
      `"${item}": a range runs from the lower port to the higher one (${Math.min(from, to)}-${Math.max(from, to)})`,
    );
  return [from, to];
}

function checkedPort(text: string, item: string): number {
  const port = Number(text);
  if (port < 1 || port > 65535) throw new PortListError(`"${item}": ports are 1-65535`);
  return port;
}

/** `443` or `8000-8100`, as nft and the config write it. */
export function portText(port: PortSpec): string {
  return typeof port === 'number' ? String(port) : `${port[0]}-${port[1]}`;
}

function span(port: PortSpec): PortSpan {
  return typeof port === 'number' ? [port, port] : port;
}

/** The ports as sorted, disjoint spans (overlapping and adjacent ones merged). */
export function portSpans(ports: readonly PortSpec[]): PortSpan[] {
  const sorted = ports.map(span).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = out.at(-1);
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/** The ports of `spans` that `minus` does not cover; both sorted and disjoint. */
export function subtractSpans(spans: readonly PortSpan[], minus: readonly PortSpan[]): PortSpan[] {
  let rest: PortSpan[] = [...spans];
  for (const [cutFrom, cutTo] of minus) {
    rest = rest.flatMap(([from, to]): PortSpan[] => {
      if (cutTo < from || cutFrom > to) return [[from, to]];
      const kept: PortSpan[] = [];
      if (from < cutFrom) kept.push([from, cutFrom - 1]);
      if (to > cutTo) kept.push([cutTo + 1, to]);
      return kept;
    });
  }
  return rest;
}

/** A span as a PortSpec: a single port stays a number. */
export function spanSpec([from, to]: PortSpan): PortSpec {
  return from === to ? from : [from, to];
}

/** How many ports the specs name (overlaps counted once). */
export function portCount(ports: readonly PortSpec[]): number {
  return portSpans(ports).reduce((sum, [from, to]) => sum + to - from + 1, 0);
}
