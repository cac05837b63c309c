import { updateCheckout } from './checkout-update.js';
import { currentInstall, type CoreUpdate } from './install.js';
import { updateNpmInstall } from './npm-update.js';

/** `coi update core` for this install, whichever way it was installed. */
export async function updateCore(opts: CoreUpdate, root?: string): Promise<void> {
  const install = currentInstall(root);
  await (install.kind === 'checkout' ? updateCheckout : updateNpmInstall)(install, opts);
}
