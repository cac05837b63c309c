import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  classifyStdioSockets,
  socketInode,
} from '../../../../src/security/detectors/stdio-socket.js';
import {
  parseProcNet,
  type ProcNetSocket,
} from '../../../../src/security/sources/proc-net-parse.js';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   999        0 1111 1 0000000000000000 100 0 0 10 0
   1: 0500630A:A8CA 0100630A:115C 01 00000000:00000000 00:00000000 00000000  1000        0 2222 1 0000000000000000 20 4 30 10 -1
   2: 0500630A:A8CB 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 3333 1 0000000000000000 20 4 30 10 -1
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4444 1 0000000000000000 100 0 0 10 0
   1: 0000000000000000FFFF00000500630A:A8CC 0000000000000000FFFF00000100630A:115C 01 00000000:00000000 00:00000000 00000000  1000        0 5555 1 0000000000000000 20 4 30 10 -1
   2: B80D0120000000000000000001000000:A8CD B80D0120000000000000000002000000:01BB 02 00000000:00000000 00:00000000 00000000  1000        0 6666 1 0000000000000000 20 4 30 10 -1
`;

describe('/proc/net parsing', () => {
  it('decodes little-endian IPv4 rows', () => {
    const [listen, shell, local] = parseProcNet(TCP, true);
    expect(listen).toEqual({
      local: { address: '127.0.0.1', port: 3306 },
      remote: { address: '0.0.0.0', port: 0 },
      state: 'LISTEN',
      uid: 999,
      inode: 1111,
    });
    expect(shell?.remote).toEqual({ address: '10.99.0.1', port: 4444 });
    expect(shell?.state).toBe('ESTABLISHED');
    expect(local?.remote).toEqual({ address: '127.0.0.1', port: 8080 });
  });

  it('decodes IPv6 rows, giving IPv4-mapped peers as IPv4', () => {
    const [listen, mapped, v6] = parseProcNet(TCP6, true);
    expect(listen?.local).toEqual({ address: '::1', port: 8080 });
    expect(listen?.remote.address).toBe('::');
    expect(mapped?.remote).toEqual({ address: '10.99.0.1', port: 4444 });
    expect(v6?.remote).toEqual({ address: '2001:db8::2', port: 443 });
    expect(v6?.state).toBe('SYN_SENT');
  });

  it('reads socket inodes from fd links', () => {
    expect(socketInode('socket:[2222]')).toBe(2222);
    expect(socketInode('/dev/pts/0')).toBeUndefined();
    expect(socketInode('pipe:[2222]')).toBeUndefined();
  });
});

describe('stdio on a socket', () => {
  const sockets = [...parseProcNet(TCP, true), ...parseProcNet(TCP6, true)];

  it('flags stdin/stdout on a connection to a non-loopback peer as a reverse shell', () => {
    const alert = classifyStdioSockets(
      { pid: 77, command: 'sh', fds: { 0: 'socket:[2222]', 1: 'socket:[2222]', 2: '/dev/null' } },
      sockets,
    );
    expect(alert).toMatchObject({
      level: 'critical',
      category: 'process',
      title: 'Reverse shell detected',
    });
    expect(alert?.evidence).toMatchObject({
      process: {
        pid: 77,
        pattern: 'stdio-socket',
        indicators: ['fd0→10.99.0.1:4444', 'fd1→10.99.0.1:4444'],
      },
    });
  });

  it('also through an IPv4-mapped IPv6 socket', () => {
    const alert = classifyStdioSockets(
      { pid: 78, command: 'sh', fds: { 0: 'socket:[5555]' } },
      sockets,
    );
    expect(alert?.level).toBe('critical');
  });

  it('ignores terminals, pipes, loopback peers, listeners and unknown inodes', () => {
    for (const fds of [
      { 0: '/dev/pts/1', 1: 'pipe:[9]', 2: 'pipe:[9]' },
      { 0: 'socket:[3333]' },
      { 0: 'socket:[1111]' },
      { 1: 'socket:[4444]' },
      { 0: 'socket:[9999]' },
    ])
      expect(classifyStdioSockets({ pid: 1, command: 'x', fds }, sockets)).toBeUndefined();
  });
});

describe('stdio on a socket, from the real /proc', () => {
  let server: Server | undefined;
  let client: Socket | undefined;
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
    client?.destroy();
    server?.close();
  });

  const address = Object.values(networkInterfaces())
    .flat()
    .find((i) => i?.family === 'IPv4' && !i.internal)?.address;

  it.skipIf(!address)('finds a child whose stdin is a TCP connection', async () => {
    server = createServer(() => undefined);
    await new Promise<void>((resolve) => server!.listen(0, address, resolve));
    const port = (server.address() as { port: number }).port;
    client = connect(port, address);
    await new Promise<void>((resolve) => client!.once('connect', resolve));
    child = spawn('sleep', ['30'], { stdio: [client, 'ignore', 'ignore'] });
    const pid = child.pid!;
    const fds = { 0: readlinkSync(`/proc/${pid}/fd/0`), 1: readlinkSync(`/proc/${pid}/fd/1`) };
    const rows: ProcNetSocket[] = ['tcp', 'tcp6'].flatMap((f) =>
      parseProcNet(readFileSync(`/proc/${pid}/net/${f}`, 'utf8')),
    );
    const alert = classifyStdioSockets({ pid, command: 'sleep 30', fds }, rows);
    expect(alert?.evidence).toMatchObject({ process: { indicators: [`fd0→${address}:${port}`] } });
  });
});
