/** The managed bridge coi creates when the default profile has no NIC. */
export const BRIDGE_NAME = 'incusbr0';
/** The nft table of test mode that keeps container traffic on the machine. */
export const GUARD_TABLE = 'coi-guard';
