import { join } from 'node:path';
import type { Incus } from '../../incus/index.js';
import { baseImageAlias } from '../image/recipe.js';
import { policyFromConfig } from '../policy/network-policy.js';
import { runNetworkProbe, type ProbeReport } from './probe.js';
import { fail, ok, warn, withIncus, type HealthCheck, type HealthEnv } from './types.js';

type Verdict = ReturnType<typeof ok | typeof warn | typeof fail>;

export function connectivityVerdict(r: Pick<ProbeReport, 'gateway' | 'ip' | 'gatewayIp'>): Verdict {
  return r.gateway === 'ok'
    ? ok(`a probe container at ${r.ip} reached the gateway ${r.gatewayIp}`)
    : fail(`a probe container at ${r.ip} cannot reach the gateway ${r.gatewayIp}`);
}

export function restrictionVerdict(r: Pick<ProbeReport, 'tried' | 'target' | 'detail'>): Verdict {
  if ('none' in r.tried) return warn(`nothing to verify: ${r.tried.none}`);
  const { address, why } = r.tried;
  return r.target === 'refused'
    ? ok(`a probe container was refused ${address} (${why})`, { target: address })
    : fail(
        `a probe container was not refused ${address} (${r.target ?? 'not tried'}) although ${why}`,
        {
          target: address,
          outcome: r.target,
          detail: r.detail,
        },
      );
}

/** Why a probe could not run: reported by both checks as a warning, not as their verdict. */
type Skipped = { skipped: string };

/** One probe per health run, shared by both checks. */
const probes = new WeakMap<HealthEnv, Promise<ProbeReport | Skipped>>();

function probe(env: HealthEnv, incus: Incus): Promise<ProbeReport | Skipped> {
  let running = probes.get(env);
  if (!running) {
    running = (async () => {
      if (!('loaded' in env.config)) return { skipped: 'the configuration does not load' };
      const { config } = env.config.loaded;
      const image = await probeImage(incus, config.container.image);
      if (!image)
        return { skipped: `no image to probe with (${config.container.image} is not built)` };
      return runNetworkProbe(incus, {
        image,
        policy: policyFromConfig(config),
        prefix: env.prefix,
        lockDir: join(env.coiDir, 'locks'),
      });
    })();
    probes.set(env, running);
  }
  return running;
}

/** The configured image, or the base image when that is not built yet. */
async function probeImage(incus: Incus, configured: string): Promise<string | undefined> {
  for (const alias of [configured, baseImageAlias()])
    if (await incus.images.findByAlias(alias)) return alias;
  return undefined;
}

/** A check on the probe's result, or the reason it did not run. */
const onProbe =
  (verdict: (r: ProbeReport) => Verdict) =>
  (env: HealthEnv): Promise<Verdict> =>
    withIncus(env, async (incus) => {
      const r = await probe(env, incus);
      return 'skipped' in r ? warn(`not checked: ${r.skipped}`) : verdict(r);
    });

const NETWORK_HINT =
  'check `coi health` nftables and bridge lines, then `coi clean --orphans`; `sudo nft list table inet coi` shows the rules';

export const probeChecks: HealthCheck[] = [
  {
    key: 'container_connectivity',
    name: 'Connectivity',
    category: 'networking',
    run: onProbe(connectivityVerdict),
    manualFix: () => NETWORK_HINT,
  },
  {
    key: 'network_restriction',
    name: 'Restriction',
    category: 'networking',
    run: onProbe(restrictionVerdict),
    manualFix: (r) => (r.status === 'failed' ? NETWORK_HINT : undefined),
  },
];
