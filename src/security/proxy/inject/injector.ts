import {
  createServer,
  ServerResponse,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Agent, request } from 'node:https';
import type { Socket } from 'node:net';
import { createSecureContext, rootCertificates, TLSSocket } from 'node:tls';
import type { ContainerInjection } from './store.js';
import { headerValue, type InjectRule } from './rules.js';
import type { SecretReader } from './secret.js';
import type { RefreshOutcome } from './token-refresher.js';
import { switchProtocols } from './switch-protocols.js';

/** One TLS connection the proxy terminates: who made it, to where, under which rule. */
export interface InjectedConnection {
  container: string;
  ip: string;
  sourcePort: number;
  /** The SNI name (an inject domain). */
  name: string;
  /** The destination the container connected to. */
  address: string;
  port: number;
  rule: InjectRule;
}

export interface InjectorOptions {
  secrets: SecretReader;
  /**
   * Called for every request sent on with the header set (never with the secret); `upgrade`: the
   * protocol an upgrade request asked for (`websocket`).
   */
  onInjected: (connection: InjectedConnection, upgrade?: string) => void;
  /** A request answered by the proxy itself (502, 421) and why. */
  onFailed: (connection: InjectedConnection, reason: string) => void;
  /** The host login of a request was renewed first, or could not be (it went on with the old). */
  onRefreshed?: (connection: InjectedConnection, outcome: RefreshOutcome) => void;
  /** CAs trusted for the real servers besides the system's (tests' local servers only). */
  upstreamCa?: string[];
}

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
];
/**
 * What each of the injector's streams (the container's TLS socket, the server's, the answers
 * between) buffers before it pushes back, instead of Node's 16 KiB: a 16 KiB chunk at a time
 * paused and resumed the pipe for each TLS record, and a 100 MB answer took a third more of the
 * proxy's CPU (bench/proxy).
 */
export const STREAM_HIGH_WATER_MARK = 1 << 20;
/** Node takes it from the options of TLSSocket and https.request; its types do not name it. */
const BUFFERED: object = { highWaterMark: STREAM_HIGH_WATER_MARK };
const SAFE_NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

/** An upgrade request's socket, taken from the HTTP server, and what was read past its head. */
interface Upgrading {
  socket: Socket;
  head: Buffer;
}

/**
 * Terminates TLS for inject names with a leaf certificate from the container's CA, sets the
 * rule's header on each HTTP/1.1 request with the secret read on the host, and sends it on over
 * a new TLS connection to the address the container asked for, verifying the real server's
 * certificate for the name as any client would. Answers stream back unchanged. An upgrade
 * request (`Connection: Upgrade`, a WebSocket) is sent on the same way; when the server switches
 * protocols the two TLS streams are relayed unparsed from then on, else its answer is a normal
 * one and the connection goes on as HTTP/1.1.
 */
export class CredentialInjector {
  private readonly http = createServer((req, res) => void this.forward(req, res)).on(
    'upgrade',
    (req: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head),
  );
  private readonly connections = new WeakMap<Socket, InjectedConnection>();
  private readonly agent: Agent;

  constructor(private readonly opts: InjectorOptions) {
    // Made once: a `ca` option would parse every root certificate again on each connection.
    const secureContext =
      opts.upstreamCa && createSecureContext({ ca: [...rootCertificates, ...opts.upstreamCa] });
    this.agent = new Agent({ keepAlive: true, ...(secureContext ? { secureContext } : {}) });
  }

  /**
   * Takes over `client` (paused, `head` — its ClientHello — already read from it). Resolves
   * false, leaving the socket alone, when no certificate can be made for the name.
   */
  async terminate(
    client: Socket,
    head: Buffer,
    connection: InjectedConnection,
    injection: ContainerInjection,
  ): Promise<boolean> {
    if (!SAFE_NAME.test(connection.name)) return false;
    const secureContext = await injection.issuer.contextFor(connection.name).catch(() => undefined);
    if (!secureContext || client.destroyed) return false;
    // TLSSocket reads what is buffered on the socket before its handle.
    client.unshift(head);
    const tls = new TLSSocket(client, {
      isServer: true,
      secureContext,
      ALPNProtocols: ['http/1.1'],
      ...BUFFERED,
    });
    this.connections.set(tls, connection);
    tls.on('error', () => tls.destroy());
    this.http.emit('connection', tls);
    return true;
  }

  /** Ends kept-alive connections to the real servers. */
  close(): void {
    this.agent.destroy();
  }

  /**
   * Node's HTTP server hands an upgrade request over with its socket: a response written on that
   * socket answers it as any other, and the socket goes back to the server for the next request
   * unless the protocol was switched or the answer closes the connection.
   */
  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const res = new ServerResponse(req);
    res.assignSocket(socket);
    res.on('finish', () => {
      res.detachSocket(socket);
      if (String(res.getHeader('connection')).toLowerCase() === 'close') return void socket.end();
      if (head.length > 0) socket.unshift(head);
      this.http.emit('connection', socket);
    });
    void this.forward(req, res, { socket, head });
  }

  private async forward(
    req: IncomingMessage,
    res: ServerResponse,
    upgrading?: Upgrading,
  ): Promise<void> {
    const connection = this.connections.get(req.socket);
    if (!connection) return void res.destroy();
    const refuse = (status: number, reason: string) => {
      this.opts.onFailed(connection, reason);
      // Set, not passed to writeHead: an upgrade's socket is closed after it by that header.
      res.setHeader('connection', 'close');
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(`coi egress proxy: ${reason}\n`);
    };
    const host = hostName(req.headers.host);
    if (host !== connection.name)
      return refuse(421, `Host "${host ?? ''}" is not the TLS name ${connection.name}`);
    // Its body would be read past the head with the switched stream's first bytes.
    if (upgrading && hasBody(req.headers))
      return refuse(400, `an upgrade request with a body is not supported (${connection.name})`);
    let secret: string;
    try {
      secret = await this.opts.secrets.read(connection.rule.source, (outcome) =>
        this.opts.onRefreshed?.(connection, outcome),
      );
    } catch (err) {
      return refuse(502, `no credential for ${connection.name} on the host: ${message(err)}`);
    }
    const upstream = request(
      {
        host: connection.address,
        port: connection.port,
        servername: connection.name,
        method: req.method,
        path: req.url,
        headers: {
          ...withHeader(req.headers, connection.rule.header, headerValue(connection.rule, secret)),
          ...(upgrading ? { connection: 'Upgrade', upgrade: req.headers.upgrade } : {}),
        },
        agent: this.agent,
        ...BUFFERED,
      },
      (answer) => {
        // Not retried (the body is streamed, not kept): the agent gets this 401, its next
        // request the renewed login.
        if (answer.statusCode === 401) this.opts.secrets.rejected(connection.rule.source, secret);
        res.writeHead(
          answer.statusCode ?? 502,
          answer.statusMessage,
          withoutHopByHop(answer.headers),
        );
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (res.headersSent) res.destroy();
      else refuse(502, `${connection.name}: ${err.message}`);
    });
    // The container went away mid-answer: so does the request (a finished one keeps its socket).
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (upgrading) {
      upstream.on('upgrade', (answer: IncomingMessage, socket: Socket, head: Buffer) => {
        res.detachSocket(upgrading.socket);
        switchProtocols(upgrading.socket, upgrading.head, answer, socket, head);
      });
      upstream.end();
    } else req.pipe(upstream);
    this.opts.onInjected(connection, upgrading ? protocolNamed(req.headers.upgrade) : undefined);
  }
}

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase());
  return Object.fromEntries(
    Object.entries(headers).filter(([k]) => !HOP_BY_HOP.includes(k) && !named.includes(k)),
  );
}

function withHeader(
  headers: IncomingHttpHeaders,
  name: string,
  value: string,
): OutgoingHttpHeaders {
  return { ...withoutHopByHop(headers), [name.toLowerCase()]: value };
}

/** The container's `Upgrade` value as an audit record may quote it: token characters, short. */
function protocolNamed(value: string | undefined): string {
  return (value ?? '').slice(0, 64).replace(/[^\w.,/ -]/g, '?');
}

function hasBody(headers: IncomingHttpHeaders): boolean {
  return (
    headers['transfer-encoding'] !== undefined ||
    (headers['content-length'] !== undefined && headers['content-length'] !== '0')
  );
}

function hostName(value: string | undefined): string | undefined {
  return value?.split(':')[0]?.toLowerCase().replace(/\.$/, '');
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
