import { copyHostFiles, writeSystemFiles } from '../host-copies/copy-in.js';
import { planHostCopies } from '../host-copies/plan.js';
import { writeBackRecords } from '../host-copies/write-back-records.js';
import type { LaunchRequest } from '../launch.js';
import type { ProxySentinel } from '../../tools/types.js';
import type { LaunchPlan } from './plan.js';

/**
 * The agent's login and settings and the `[[credentials]]` bundles, copied from the host (after a
 * restored session, so fresh logins replace saved ones), its root-owned policy files, and the
 * record of what may be written back when the session ends. With `loginSentinel` the login goes
 * by the egress proxy: the container gets its sentinel form.
 */
export async function copyInHostFiles(
  req: Pick<LaunchRequest, 'incus' | 'loaded' | 'coiDir' | 'hostHome'>,
  plan: LaunchPlan,
  container: string,
  loginSentinel?: ProxySentinel,
): Promise<void> {
  const { config } = req.loaded;
  const permissionMode = config.tool.permission_mode;
  const copies = planHostCopies({
    tool: plan.tool,
    bundles: config.credentials,
    permissionMode,
    home: plan.home,
    ...(req.hostHome ? { hostHome: req.hostHome } : {}),
    ...(loginSentinel === undefined ? {} : { proxySentinel: loginSentinel }),
  });
  const records = await copyHostFiles(req.incus, container, copies, plan.codeUid);
  await writeSystemFiles(req.incus, container, plan.tool.systemFiles?.({ permissionMode }) ?? []);
  await writeBackRecords(req.coiDir).save(container, records);
}
