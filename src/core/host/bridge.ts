/** The managed bridge coi creates when a host has none: an explicit subnet, never auto-picked. */
export const BRIDGE_NAME = 'incusbr0';
export const BRIDGE_GATEWAY = '10.99.0.1';
export const BRIDGE_SUBNET = `${BRIDGE_GATEWAY}/24`;
/** The nft table of test mode that keeps container traffic on the machine. */
export const GUARD_TABLE = 'coi-guard';
