/**
 * How `doctor` reports the network-fault probe (engine/doctor/network-faults.ts): what the fault
 * helper printed becomes one check, ok only when iptables works in the namespace; netem's
 * absence is reported, never a failure (network.delay does not need it).
 */
import { describe, expect, it } from 'vitest';
import { describeNetworkProbe } from '../../engine/doctor/network-faults.js';
import { runDoctor, type DoctorDeps } from '../../engine/doctor/doctor.js';

describe('describeNetworkProbe', () => {
  it('iptables without netem is ready, and says the delay proxy is used', () => {
    const check = describeNetworkProbe({ exitCode: 0, stdout: 'iptables=yes\nnetem=no\n', stderr: '' });
    expect(check).toMatchObject({ name: 'network faults', ok: true });
    expect(check.detail).toMatch(/TCP delay proxy/);
    expect(check.detail).toMatch(/netem is missing/);
  });

  it('iptables with netem is ready too', () => {
    const check = describeNetworkProbe({ exitCode: 0, stdout: 'iptables=yes\nnetem=yes\n', stderr: '' });
    expect(check.ok).toBe(true);
    expect(check.detail).toMatch(/netem is available/);
  });

  it('no iptables is a failed check with what the helper said', () => {
    const check = describeNetworkProbe({
      exitCode: 0,
      stdout: 'iptables=no\nnetem=no\n',
      stderr: 'iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied\n',
    });
    expect(check.ok).toBe(false);
    expect(check.detail).toMatch(/cannot run: .*Permission denied/);
  });
});

describe('runDoctor', () => {
  const deps = (helper: 'current' | 'missing'): DoctorDeps => ({
    nodeVersion: '22.23.0',
    probe: async () => ({
      reachable: true,
      endpoint: { url: 'unix:///var/run/docker.sock', fromEnv: false },
      serverVersion: '20.10.24',
      apiVersion: '1.41',
      rootDir: '/var/lib/docker',
      os: 'Debian',
    }),
    hostFacts: async () => {
      throw new Error('not needed');
    },
    installDocker: async () => undefined,
    startDocker: async () => {
      throw new Error('not needed');
    },
    imageStatus: async () => [
      { name: 'fault-helper', tag: 'breakfix/fault-helper:bookworm', state: helper, recipe: 'abc' },
    ],
    buildImages: async () => undefined,
    freeBytes: async () => 10 * 1024 ** 3,
    networkFaults: async () => ({ name: 'network faults', ok: true, detail: 'probed' }),
  });

  it('probes the network faults once the helper image is current', async () => {
    const report = await runDoctor({}, deps('current'));
    expect(report.checks.find((check) => check.name === 'network faults')).toEqual({
      name: 'network faults',
      ok: true,
      detail: 'probed',
    });
  });

  it('does not probe without the helper image (the image check already says what to run)', async () => {
    const report = await runDoctor({}, deps('missing'));
    expect(report.checks.some((check) => check.name === 'network faults')).toBe(false);
  });
});
