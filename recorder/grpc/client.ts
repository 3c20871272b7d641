/**
 * The recorder's side of proto/client.proto: a `Client` whose sessions are gRPC calls to a
 * client server (`--client-server host:port`, or the one a backend starts).
 */
import * as grpc from '@grpc/grpc-js';
import { printEdn } from '../../analyzer/edn/print.js';
import { kw, type EdnValue } from '../../analyzer/edn/values.js';
import type { Client, Completion, CompletionType, Invocation, OpenClient, TestContext } from '../core/types.js';
import { type CloseRequest, type CompletionMsg, type InvocationMsg, type OpenReply, type OpenRequest, clientService, fromValueMsg, parseErrorText, toValueMsg } from './protocol.js';

type Unary<Req, Rep> = (req: Req, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, rep?: Rep) => void) => void;

interface ClientStub extends grpc.Client {
  Open: Unary<OpenRequest, OpenReply>;
  Invoke: Unary<InvocationMsg, CompletionMsg>;
  Close: Unary<CloseRequest, object>;
}

function call<Req, Rep>(fn: Unary<Req, Rep>, stub: ClientStub, req: Req, timeoutMs: number): Promise<Rep> {
  return new Promise((res, rej) => {
    fn.call(stub, req, { deadline: Date.now() + timeoutMs }, (err, rep) => (err ? rej(err) : res(rep as Rep)));
  });
}

function testEdn(test: TestContext): string {
  const o = test.opts;
  return printEdn({ name: o.name, workload: kw(o.workload), nodes: [...o.nodes], bugs: o.bugs.map((b) => kw(b)), seed: o.seed });
}

/** Turns a gRPC failure of Invoke into an `info` completion (the op may have happened). */
function errorCompletion(e: unknown): Completion {
  const se = e as grpc.ServiceError;
  if (se.code === grpc.status.DEADLINE_EXCEEDED) return { type: 'info', error: kw('timeout') };
  return { type: 'info', error: [kw('grpc'), se.details ?? String(e)] as EdnValue };
}

/**
 * A `Client` whose sessions live on a client server speaking proto/client.proto. `open` rejects
 * with the gRPC error when Open fails; an Invoke that fails becomes an `info` completion.
 */
export class GrpcClient implements Client {
  private stub: ClientStub;

  /** `address` is the server's `host:port`; `process` `nemesis` makes every session a nemesis session (process -1). */
  constructor(address: string, private readonly process: number | 'nemesis' = 0) {
    const Ctor = clientService();
    this.stub = new Ctor(address, grpc.credentials.createInsecure()) as unknown as ClientStub;
  }

  /** Opens a session for `process` on `node` (the nemesis session is process -1). */
  async open(test: TestContext, node: string, process?: number): Promise<OpenClient> {
    const stub = this.stub;
    const timeoutMs = Math.max(test.opts.opTimeoutMs, 1000);
    const rep = await call(stub.Open, stub, { node, process: this.process === 'nemesis' ? -1 : (process ?? this.process), workload: test.opts.workload, test_edn: testEdn(test) }, timeoutMs);
    const session = rep.session;
    return {
      async invoke(t: TestContext, op: Invocation): Promise<Completion> {
        let c: CompletionMsg;
        try {
          c = await call(stub.Invoke, stub, { session, process: op.process === 'nemesis' ? -1 : op.process, f: op.f, value: toValueMsg(op.value) }, t.opts.opTimeoutMs);
        } catch (e) {
          return errorCompletion(e);
        }
        const type: CompletionType = c.type === 'ok' || c.type === 'fail' ? c.type : 'info';
        const value = fromValueMsg(c.value);
        const error = parseErrorText(c.error);
        return { type, ...(value === undefined ? {} : { value }), ...(error === undefined ? {} : { error }) };
      },
      async close(): Promise<void> {
        await call(stub.Close, stub, { session }, 2000).catch(() => undefined);
      },
    };
  }

  /** Closes the channel. */
  shutdown(): void {
    // Not `this.stub.close`: the generated stub also has a lowercase alias of the Close RPC.
    grpc.Client.prototype.close.call(this.stub);
  }
}
