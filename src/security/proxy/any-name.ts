import { inCidr, isLoopbackV4, METADATA_V4, PRIVATE_V4 } from '../../shared/ipv4.js';

/**
 * What restricted mode refuses, for a container whose HTTP(S) the proxy carries for every name
 * (`inject_in_open`): the proxy connects from the host, past the container's filter chain, so it
 * applies the same blocks to the address it connects to. The host's own loopback is refused in
 * every mode: no container could reach it without the proxy.
 */
export interface DestinationBlocks {
  metadata: boolean;
  /** The private ranges, except the gateway (which restricted mode accepts). */
  private: boolean;
  gateway: string;
}

export type AnyNameDestination = { address: string } | { refused: string };

/**
 * The address to connect to for a name the container asked for: the first address the host's
 * resolver answered that the blocks let through. The container's own destination is not known
 * here (nft redirected it to a fixed port), so the name decides, resolved on the host.
 */
export function anyNameDestination(
  name: string,
  addresses: readonly string[],
  blocks: DestinationBlocks,
): AnyNameDestination {
  if (addresses.length === 0) return { refused: `"${name}" has no IPv4 address` };
  const refusal = (address: string): string | undefined => {
    if (isLoopbackV4(address)) return "the host's loopback";
    if (blocks.metadata && METADATA_V4.some((cidr) => inCidr(address, cidr)))
      return 'the metadata endpoint';
    if (blocks.private && address !== blocks.gateway && PRIVATE_V4.some((c) => inCidr(address, c)))
      return 'a private network';
    return undefined;
  };
  const address = addresses.find((a) => refusal(a) === undefined);
  if (address !== undefined) return { address };
  const first = addresses[0] ?? '';
  return {
    refused: `"${name}" resolves to ${first}, ${refusal(first)}, which the container may not reach`,
  };
}
