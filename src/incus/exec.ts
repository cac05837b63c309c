import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type WebSocket from 'ws';
import type { IncusClient } from './client.js';
import { IncusError, IncusOperationError } from './errors.js';
import {
  accountFromPasswd,
  execEnvironment,
  exitCodeFromFailure,
  fallbackAccount,
} from './exec-env.js';
import { ExecOutputStream, execInputStream } from './exec-stream.js';
import type {
  ExecAccount,
  ExecControlMessage,
  ExecOperationMetadata,
  ExecOptions,
  ExecRequest,
  InteractiveOptions,
  RunOptions,
  RunResult,
} from './exec-types.js';
import { FilesApi } from './files.js';
import type { ExecService } from './interfaces.js';
import type { Operation } from './operation.js';

/** How long the passwd lookup for a non-root exec may take before the fallback account is used. */
const ACCOUNT_LOOKUP_TIMEOUT_MS = 5_000;
const PASSWD_MAX_BYTES = 4 << 20;

type ExecOperation = Operation<ExecOperationMetadata>;

/** Shared by both exec kinds: the operation, its control socket, the exit code. */
abstract class ExecBase {
  private readonly exit: Promise<number>;

  constructor(
    readonly operation: ExecOperation,
    private readonly control: WebSocket,
    exitCode: Promise<number>,
  ) {
    // Once the command ended, closing control no longer kills anything; the daemon closes the
    // data sockets itself, after their last bytes.
    this.exit = exitCode.finally(() => {
      if (this.control.readyState === this.control.OPEN) this.control.close();
    });
    this.exit.catch(() => undefined);
  }

  /** Sends a signal (e.g. 15) to the command; its exit code becomes 128+N if it dies of it. */
  signal(signal: number): Promise<void> {
    return this.sendControl({ command: 'signal', signal });
  }

  /** Kills the command outright (the daemon SIGKILLs it when the control socket closes). */
  kill(): void {
    this.control.close();
  }

  /** The command's exit code (128+N when killed by signal N, 127 when not found). */
  wait(): Promise<number> {
    return this.exit;
  }

  protected sendControl(message: ExecControlMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      this.control.send(JSON.stringify(message), { binary: false }, (err) =>
        err ? reject(err) : resolve(),
      );
    });
  }
}

/** A running non-interactive command with separate stdin, stdout and stderr streams. */
export class ExecProcess extends ExecBase {
  constructor(
    operation: ExecOperation,
    sockets: Record<'0' | '1' | '2' | 'control', WebSocket>,
    readonly stdout: Readable,
    readonly stderr: Readable,
    exitCode: Promise<number>,
  ) {
    super(operation, sockets.control, exitCode);
    this.stdin = execInputStream(sockets['0'], true);
  }

  /** Write stdin here; `end()` sends EOF. */
  readonly stdin: Writable;
}

/** A command on a pseudo-terminal: one output stream, keystrokes in, resizable. */
export class InteractiveExec extends ExecBase {
  constructor(
    operation: ExecOperation,
    sockets: Record<'0' | 'control', WebSocket>,
    /** Everything the terminal shows (`\r\n` line endings). */
    readonly output: Readable,
    exitCode: Promise<number>,
  ) {
    super(operation, sockets.control, exitCode);
    this.input = execInputStream(sockets['0'], false);
  }

  /** Keystrokes; ending it sends nothing (type Ctrl-D for EOF, as on a terminal). */
  readonly input: Writable;

  resize(width: number, height: number): Promise<void> {
    return this.sendControl({
      command: 'window-resize',
      args: { width: String(width), height: String(height) },
    });
  }
}

/** `/1.0/instances/<n>/exec`: run commands in a container over the websocket protocol. */
export class ExecApi implements ExecService {
  constructor(private readonly client: IncusClient) {}

  /** Starts a command and returns its streams; read stdout and stderr, or the command stalls. */
  async start(instance: string, command: string[], opts: ExecOptions = {}): Promise<ExecProcess> {
    const op = await this.post(instance, command, opts, { interactive: false });
    const exitCode = waitForExit(op);
    const { sockets, wired } = await this.attach(op, ['1', '2', '0'], (data) => ({
      stdout: new ExecOutputStream(data['1']),
      stderr: new ExecOutputStream(data['2']),
    }));
    return new ExecProcess(op, sockets, wired.stdout, wired.stderr, exitCode);
  }

  /** Runs a command to the end and collects its output. */
  async run(instance: string, command: string[], opts: RunOptions = {}): Promise<RunResult> {
    const proc = await this.start(instance, command, opts);
    const input = opts.stdin;
    const feed =
      input === undefined
        ? (proc.stdin.end(), Promise.resolve())
        : pipeline(
            typeof input === 'string' || Buffer.isBuffer(input) ? Readable.from([input]) : input,
            proc.stdin,
          );
    const [stdout, stderr, exitCode] = await Promise.all([
      collect(proc.stdout),
      collect(proc.stderr),
      proc.wait(),
      feed,
    ]);
    return { exitCode, stdout, stderr };
  }

  /** Starts a command on a pseudo-terminal of the given size. */
  async interactive(
    instance: string,
    command: string[],
    opts: InteractiveOptions,
  ): Promise<InteractiveExec> {
    const op = await this.post(instance, command, opts, {
      interactive: true,
      width: opts.width,
      height: opts.height,
      term: opts.term ?? 'xterm-256color',
    });
    const exitCode = waitForExit(op);
    const { sockets, wired: output } = await this.attach(
      op,
      ['0'],
      // The daemon completes an interactive exec only once the client closes fd 0 after its barrier.
      (data) => new ExecOutputStream(data['0'], () => data['0'].close()),
    );
    return new InteractiveExec(op, sockets, output, exitCode);
  }

  private async post(
    instance: string,
    command: string[],
    opts: ExecOptions,
    mode: { interactive: boolean; width?: number; height?: number; term?: string },
  ): Promise<ExecOperation> {
    if (command.length === 0)
      throw new IncusError('exec needs a command (an empty argv was given)', 400);
    const user = opts.user ?? 0;
    const account =
      user === 0 ? undefined : (opts.account ?? (await this.lookupAccount(instance, user)));
    const body: ExecRequest = {
      command,
      environment: execEnvironment(opts.environment, account, mode.term ? { TERM: mode.term } : {}),
      'wait-for-websocket': true,
      'record-output': false,
      interactive: mode.interactive,
      user,
      group: opts.group ?? user,
      cwd: opts.cwd,
    };
    if (mode.interactive) Object.assign(body, { width: mode.width, height: mode.height });
    return this.client.operation<ExecOperationMetadata>(
      'POST',
      `/1.0/instances/${encodeURIComponent(instance)}/exec`,
      { body },
    );
  }

  /** The account of `uid` from the container's /etc/passwd; the fallback if unreadable. */
  private async lookupAccount(instance: string, uid: number): Promise<ExecAccount> {
    try {
      const passwd = await new FilesApi(this.client).pull(instance, '/etc/passwd', {
        maxBytes: PASSWD_MAX_BYTES,
        signal: AbortSignal.timeout(ACCOUNT_LOOKUP_TIMEOUT_MS),
      });
      return accountFromPasswd(passwd.toString('utf8'), uid) ?? fallbackAccount(uid);
    } catch {
      return fallbackAccount(uid);
    }
  }

  /**
   * Connects the exec's websockets one after the other, control first, as Incus's own client
   * does. Connecting the data fds in parallel loses output now and then (measured on 6.0.4:
   * about 1 run in 300 of `echo hello` came back empty, with only a 1006 close on stdout).
   * Control must be there before the last data fd: the command starts right then, and a quick
   * one is over before a late control socket could join. The fd attached last can lose a quick
   * command's output too (seen on a busy host: stderr, attached last, came back empty with only
   * a 1006 close, about 1 run in 25), so stdin goes last: a command reads it only once it runs.
   * All must connect within the daemon's 5 s. If anything fails, every socket is dropped (which
   * also kills the command).
   */
  private async attach<K extends string, T>(
    op: ExecOperation,
    dataFds: K[],
    wire: (data: Record<K, WebSocket>) => T,
  ): Promise<{ sockets: Record<K | 'control', WebSocket>; wired: T }> {
    const created: WebSocket[] = [];
    const socket = (fd: string): WebSocket => {
      const ws = this.socket(op, fd);
      created.push(ws);
      return ws;
    };
    try {
      const control = socket('control');
      await opened(control);
      const data = {} as Record<K, WebSocket>;
      let wired!: T;
      for (const [i, fd] of dataFds.entries()) {
        data[fd] = socket(fd);
        // The command starts once the last fd is attached: readers must be hooked up before.
        if (i === dataFds.length - 1) wired = wire(data);
        await opened(data[fd]);
      }
      return { sockets: { ...data, control }, wired };
    } catch (err) {
      for (const ws of created) ws.terminate();
      const reason = err instanceof Error ? err.message : String(err);
      throw new IncusError(`could not attach to exec operation ${op.id}: ${reason}`, 0);
    }
  }

  private socket(op: ExecOperation, fd: string): WebSocket {
    const secret = op.metadata.metadata?.fds?.[fd];
    if (!secret) throw new Error(`the daemon offered no websocket for fd ${fd}`);
    const ws = this.client.transport.websocket(
      `/1.0/operations/${encodeURIComponent(op.id)}/websocket?secret=${encodeURIComponent(secret)}`,
    );
    // Failures surface through attach and the streams; an unheard 'error' would crash.
    ws.on('error', () => undefined);
    return ws;
  }
}

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ws.readyState === ws.OPEN) return resolve();
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        let reason = body.slice(0, 200);
        try {
          reason = (JSON.parse(body) as { error?: string }).error ?? reason;
        } catch {
          // not an envelope; keep the raw text
        }
        reject(new Error(`websocket refused with HTTP ${res.statusCode ?? '?'}: ${reason}`));
      });
    });
  });
}

/**
 * The exit code from the finished operation; a failed start ("Command not found") still has one.
 * The wait starts right after the POST, in parallel with attaching, to save a round trip.
 */
function waitForExit(op: ExecOperation): Promise<number> {
  const exit = exitCodeOf(op);
  exit.catch(() => undefined);
  return exit;
}

async function exitCodeOf(op: ExecOperation): Promise<number> {
  try {
    const done = await op.wait();
    const code = done.metadata?.return;
    if (typeof code !== 'number')
      throw new IncusError(`exec operation ${op.id} ended without an exit code`, 500);
    return code;
  } catch (err) {
    if (!(err instanceof IncusOperationError)) throw err;
    const lost = (err.operation?.metadata as ExecOperationMetadata | null | undefined)?.return;
    const code = typeof lost === 'number' ? lost : exitCodeFromFailure(err.message);
    if (code === undefined) throw err;
    return code;
  }
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
