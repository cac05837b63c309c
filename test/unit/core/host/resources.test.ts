import { describe, expect, it } from 'vitest';
import { freeSubnet } from '../../../../src/core/host/resources.js';
import { manualInstallHint } from '../../../../src/core/host/packages.js';

describe('bridge subnet choice', () => {
  it('takes 10.99.0.1/24 when no route uses it', () => {
    expect(freeSubnet(['0.0.0.0', '192.168.1.0'])).toBe('10.99.0.1/24');
  });

  it('skips subnets the host already routes', () => {
    expect(freeSubnet(['10.99.0.0', '10.98.0.0'])).toBe('10.97.0.1/24');
  });
});

describe('install hints for other systems', () => {
  const os = (id: string, idLike: string[] = []) => ({ id, versionId: '', idLike, prettyName: id });

  it('names apt for Debian and Ubuntu families', () => {
    expect(manualInstallHint(os('ubuntu', ['debian']), ['incus', 'tmux'])).toMatch(
      /^sudo apt-get update && sudo apt-get install -y incus tmux/,
    );
  });

  it('names dnf with the Fedora package names', () => {
    expect(manualInstallHint(os('fedora'), ['incus', 'conntrack'])).toBe(
      'sudo dnf install -y incus conntrack-tools',
    );
  });

  it('names pacman on Arch', () => {
    expect(manualInstallHint(os('arch'), ['nftables'])).toBe('sudo pacman -S --needed nftables');
  });
});
