import { IncusClient } from '../../src/incus/client.js';
import { ImagesApi } from '../../src/incus/images.js';
import { ProfilesApi } from '../../src/incus/profiles.js';
import { run } from '../../src/shared/run.js';
import {
  bedContainers,
  bedRemnants,
  deleteBedContainer,
  teardownRemoteBed,
} from './remote-incus.js';

export interface Leak {
  kind: 'container' | 'image' | 'profile' | 'nft table' | 'remote bed container' | 'remote bed';
  name: string;
  /** What removes it. */
  id: string;
}

interface InstanceName {
  name: string;
}

/** Everything still present whose name carries this run's prefix. */
export async function findLeaks(prefix: string): Promise<Leak[]> {
  const client = IncusClient.local();
  try {
    const leaks: Leak[] = [];
    const instances = await client.get<InstanceName[]>('/1.0/instances', { recursion: 1 });
    for (const i of instances)
      if (i.name.startsWith(prefix)) leaks.push({ kind: 'container', name: i.name, id: i.name });
    for (const image of await new ImagesApi(client).list()) {
      const alias = image.aliases?.find((a) => a.name.startsWith(prefix));
      if (alias) leaks.push({ kind: 'image', name: alias.name, id: image.fingerprint });
    }
    for (const profile of await new ProfilesApi(client).list()) {
      if (profile.name.startsWith(prefix))
        leaks.push({ kind: 'profile', name: profile.name, id: profile.name });
    }
    const tables = await run('nft', ['list', 'tables']);
    for (const line of tables.split('\n')) {
      const m = /^table (\S+) (\S+)$/.exec(line.trim());
      if (m?.[1] && m[2]?.startsWith(prefix))
        leaks.push({ kind: 'nft table', name: `${m[1]} ${m[2]}`, id: `${m[1]} ${m[2]}` });
    }
    for (const name of await bedContainers())
      if (name.startsWith(prefix)) leaks.push({ kind: 'remote bed container', name, id: name });
    return leaks;
  } finally {
    await client.close();
  }
}

/**
 * Ends the remote bed (remote-incus.ts), which the files of a run share so none of them can stop
 * it: what is still there afterwards (its daemon, netns, veth) is a leak.
 */
export async function endRemoteBed(): Promise<Leak[]> {
  await teardownRemoteBed();
  return (await bedRemnants()).map((name) => ({ kind: 'remote bed', name, id: name }));
}

export async function removeLeaks(leaks: Leak[]): Promise<void> {
  const client = IncusClient.local();
  try {
    for (const leak of leaks) {
      if (leak.kind === 'container') {
        await client
          .operation('PUT', `/1.0/instances/${leak.id}/state`, {
            body: { action: 'stop', force: true },
          })
          .then((op) => op.wait({ timeoutMs: 60_000 }))
          .catch(() => undefined);
        await client
          .operation('DELETE', `/1.0/instances/${leak.id}`)
          .then((op) => op.wait({ timeoutMs: 60_000 }));
      } else if (leak.kind === 'image') {
        await new ImagesApi(client).delete(leak.id).then((op) => op.wait({ timeoutMs: 60_000 }));
      } else if (leak.kind === 'remote bed container') {
        await deleteBedContainer(leak.id);
      } else if (leak.kind === 'profile') {
        await new ProfilesApi(client).delete(leak.id);
      } else if (leak.kind === 'nft table') {
        await run('nft', ['delete', 'table', ...leak.id.split(' ')]);
      }
    }
  } finally {
    await client.close();
  }
}
