import { CoiError } from '../../../shared/errors.js';

/** A launch refused or failed for a reason the user can act on. */
export class LaunchError extends CoiError {}
