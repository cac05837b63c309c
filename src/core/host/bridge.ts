/** The managed bridge coi creates when the default profile has no NIC. */
export const BRIDGE_NAME = 'incusbr0';
