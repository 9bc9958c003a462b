/**
 * A second Docker Engine on this machine that breakfix reaches the way a class reaches a remote
 * one: over TCP with TLS, from another network. It runs in a network namespace this helper
 * creates (a veth pair, a /30 of 10.213.0.0/16), with its own data-root, exec-root, pidfile,
 * containerd namespaces and cgroup parent, so it shares nothing with the machine's own dockerd
 * — which is never touched. Certificates are made with openssl for the run.
 *
 * dockerd runs under `nsenter --net` (not `ip netns exec`, whose fresh /sys hides the cgroup
 * mounts dockerd needs). breakfix's base images come over with `docker save | docker load`
 * (there is no registry to pull from); the labs' own images are built on the remote engine.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RemoteEngine {
  /** What a learner's shell would export to use it: DOCKER_HOST, TLS, BREAKFIX_PUBLISH_ADDRESS. */
  env: Record<string, string>;
  address: string;
  /** `docker …` against the remote engine. */
  docker(...args: string[]): string;
  /** Stops dockerd (SIGTERM: it stops its containers) and starts it again on the same data. */
  restart(): Promise<void>;
  /** Stops dockerd and removes everything this helper created. */
  destroy(): Promise<void>;
}

const IMAGES = ['breakfix/base:bookworm', 'breakfix/postgres:15', 'breakfix/python:3.11'];

function need(command: string, why: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
  if (!found) throw new Error(`the remote-engine test needs \`${command}\` (${why}); install it and run again`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function makeCertificates(dir: string, address: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('genrsa', '-out', 'ca-key.pem', '2048');
  openssl(
    'req',
    '-new',
    '-x509',
    '-days',
    '2',
    '-key',
    'ca-key.pem',
    '-sha256',
    '-subj',
    '/CN=breakfix test CA',
    '-out',
    'ca.pem',
  );
  openssl('genrsa', '-out', 'server-key.pem', '2048');
  openssl('req', '-new', '-key', 'server-key.pem', '-subj', `/CN=${address}`, '-out', 'server.csr');
  writeFileSync(path.join(dir, 'server.ext'), `subjectAltName = IP:${address}\nextendedKeyUsage = serverAuth\n`);
  openssl(
    'x509',
    '-req',
    '-days',
    '2',
    '-sha256',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca-key.pem',
    '-CAcreateserial',
    '-out',
    'server-cert.pem',
    '-extfile',
    'server.ext',
  );
  // The client side, named as DOCKER_CERT_PATH wants them: ca.pem, cert.pem, key.pem.
  openssl('genrsa', '-out', 'key.pem', '2048');
  openssl('req', '-new', '-key', 'key.pem', '-subj', '/CN=breakfix test client', '-out', 'client.csr');
  writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage = clientAuth\n');
  openssl(
    'x509',
    '-req',
    '-days',
    '2',
    '-sha256',
    '-in',
    'client.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca-key.pem',
    '-CAcreateserial',
    '-out',
    'cert.pem',
    '-extfile',
    'client.ext',
  );
}

/** `docker save | docker load` from the engine of this process's environment to the remote one. */
async function copyImages(images: string[], remoteEnv: NodeJS.ProcessEnv): Promise<void> {
  const save = spawn('docker', ['save', ...images], { stdio: ['ignore', 'pipe', 'pipe'] });
  const load = spawn('docker', ['load', '-q'], { env: remoteEnv, stdio: ['pipe', 'ignore', 'pipe'] });
  save.stdout.pipe(load.stdin);
  let errors = '';
  save.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  load.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const codes = await Promise.all(
    [save, load].map((child) => new Promise<number | null>((resolve) => child.on('close', resolve))),
  );
  if (codes.some((code) => code !== 0)) throw new Error(`copying ${images.join(', ')} failed: ${errors.trim()}`);
}

export async function startRemoteEngine(): Promise<RemoteEngine> {
  if (process.getuid?.() !== 0) throw new Error('the remote-engine test runs as root (it creates a network namespace)');
  need('ip', 'iproute2: the network namespace');
  need('nsenter', 'util-linux: dockerd in the namespace');
  need('openssl', 'the TLS certificates');
  need('dockerd', 'the second engine');

  const id = randomInt(0, 0xffff).toString(16).padStart(4, '0');
  const octet = randomInt(0, 64) * 4;
  const third = randomInt(0, 256);
  const hostAddress = `10.213.${third}.${octet + 1}`;
  const address = `10.213.${third}.${octet + 2}`;
  const netns = `bf-remote-${id}`;
  const [hostLink, nsLink] = [`bfr${id}h`, `bfr${id}n`];
  const root = path.join(os.tmpdir(), `bf-remote-${id}`);
  const certs = path.join(root, 'certs');
  const dataRoot = `/var/lib/breakfix-test-remote-${id}`;
  const execRoot = `/run/bf-remote-${id}`;
  const pidfile = path.join(execRoot, 'dockerd.pid');
  const log = path.join(root, 'dockerd.log');
  mkdirSync(certs, { recursive: true });
  mkdirSync(execRoot, { recursive: true });
  makeCertificates(certs, address);

  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  ip('netns', 'add', netns);
  ip('link', 'add', hostLink, 'type', 'veth', 'peer', 'name', nsLink);
  ip('link', 'set', nsLink, 'netns', netns);
  ip('addr', 'add', `${hostAddress}/30`, 'dev', hostLink);
  ip('link', 'set', hostLink, 'up');
  ip('netns', 'exec', netns, 'ip', 'addr', 'add', `${address}/30`, 'dev', nsLink);
  ip('netns', 'exec', netns, 'ip', 'link', 'set', nsLink, 'up');
  ip('netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up');

  const env = {
    DOCKER_HOST: `tcp://${address}:2376`,
    DOCKER_TLS_VERIFY: '1',
    DOCKER_CERT_PATH: certs,
    BREAKFIX_PUBLISH_ADDRESS: address,
  };
  const docker = (...args: string[]) =>
    execFileSync('docker', args, { env: { ...process.env, ...env }, encoding: 'utf8', stdio: 'pipe' }).trim();

  const launch = async () => {
    const out = openSync(log, 'a');
    const child = spawn(
      'nsenter',
      [
        `--net=/run/netns/${netns}`,
        'dockerd',
        `--data-root=${dataRoot}`,
        `--exec-root=${execRoot}`,
        `--pidfile=${pidfile}`,
        `-H=unix://${execRoot}/docker.sock`,
        `-H=tcp://${address}:2376`,
        '--tlsverify',
        `--tlscacert=${path.join(certs, 'ca.pem')}`,
        `--tlscert=${path.join(certs, 'server-cert.pem')}`,
        `--tlskey=${path.join(certs, 'server-key.pem')}`,
        `--containerd-namespace=bf-remote-${id}`,
        `--containerd-plugins-namespace=bf-remote-${id}-plugins`,
        `--cgroup-parent=bf-remote-${id}`,
        '--userland-proxy=false',
      ],
      { detached: true, stdio: ['ignore', out, out] },
    );
    child.unref();
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (spawnSync('docker', ['version'], { env: { ...process.env, ...env }, stdio: 'ignore' }).status === 0) return;
      if (Date.now() > deadline)
        throw new Error(`the second dockerd did not answer within 90 s:\n${readFileSync(log, 'utf8').slice(-2000)}`);
      await sleep(250);
    }
  };

  const halt = async () => {
    const pid = existsSync(pidfile) ? Number(readFileSync(pidfile, 'utf8')) : 0;
    if (!pid) return;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    // dockerd gives its containers their grace period, then exits.
    for (let waited = 0; waited < 60_000; waited += 250) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await sleep(250);
    }
    process.kill(pid, 'SIGKILL');
  };

  const engine: RemoteEngine = {
    env,
    address,
    docker,
    restart: async () => {
      await halt();
      await launch();
    },
    destroy: async () => {
      await halt();
      // dockerd unmounts its layers when it stops; anything left under its roots is ours to remove.
      spawnSync('sh', [
        '-c',
        `grep -o " ${dataRoot}[^ ]*\\| ${execRoot}[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l`,
      ]);
      rmSync(dataRoot, { recursive: true, force: true });
      rmSync(execRoot, { recursive: true, force: true });
      spawnSync('ip', ['netns', 'del', netns]);
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await launch();
    // No registry: breakfix's base images travel from the machine's engine.
    await copyImages(IMAGES, { ...process.env, ...env });
  } catch (error) {
    await engine.destroy();
    throw error;
  }
  return engine;
}
