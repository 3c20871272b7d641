/**
 * Serving proto/client.proto from TypeScript: the embedded database's client server, and a
 * template for users who write theirs in TypeScript. A `SessionHandler` turns an Open into a
 * session that answers invocations.
 */
import * as grpc from '@grpc/grpc-js';
import { printEdn } from '../../analyzer/edn/print.js';
import type { EdnValue } from '../../analyzer/edn/values.js';
import type { Completion } from '../core/types.js';
import { type CloseRequest, type CompletionMsg, type InvocationMsg, type OpenReply, type OpenRequest, clientService, fromValueMsg, toValueMsg } from './protocol.js';

/** One Open's session: answers invocations until closed. */
export interface Session {
  invoke(process: number, f: string, value: EdnValue): Promise<Completion>;
  close(): Promise<void>;
}

/** Makes a session for each Open; a rejection is sent as gRPC INTERNAL. */
export interface SessionHandler {
  open(req: { node: string; process: number; workload: string; testEdn: string }): Promise<Session>;
}

/** A listening client server; `stop` resolves once it has shut down (forced after 1 s). */
export interface RunningServer {
  readonly address: string;
  readonly port: number;
  stop(): Promise<void>;
}

function completionMsg(c: Completion): CompletionMsg {
  return {
    type: c.type,
    value: c.value === undefined ? null : toValueMsg(c.value),
    error: c.error === undefined ? '' : printEdn(c.error),
  };
}

/** Starts a gRPC server for `handler` on `host:port` (port 0: any free port). */
export async function serveClient(handler: SessionHandler, host = '127.0.0.1', port = 0): Promise<RunningServer> {
  const sessions = new Map<string, Session>();
  let next = 0;
  const server = new grpc.Server();
  const fail = (cb: grpc.sendUnaryData<unknown>, e: unknown): void =>
    cb({ code: grpc.status.INTERNAL, details: e instanceof Error ? e.message : String(e) } as grpc.ServiceError);
  server.addService(clientService().service, {
    Open(call: grpc.ServerUnaryCall<OpenRequest, OpenReply>, cb: grpc.sendUnaryData<OpenReply>) {
      const r = call.request;
      handler.open({ node: r.node, process: Number(r.process), workload: r.workload, testEdn: r.test_edn }).then(
        (s) => {
          const id = `s${next++}`;
          sessions.set(id, s);
          cb(null, { session: id });
        },
        (e) => fail(cb as grpc.sendUnaryData<unknown>, e),
      );
    },
    Invoke(call: grpc.ServerUnaryCall<InvocationMsg, CompletionMsg>, cb: grpc.sendUnaryData<CompletionMsg>) {
      const r = call.request;
      const s = sessions.get(r.session);
      if (s === undefined) {
        cb({ code: grpc.status.NOT_FOUND, details: `no session ${r.session}` } as grpc.ServiceError);
        return;
      }
      let value: EdnValue;
      try {
        value = fromValueMsg(r.value) ?? null;
      } catch (e) {
        fail(cb as grpc.sendUnaryData<unknown>, e);
        return;
      }
      s.invoke(Number(r.process), r.f, value).then(
        (c) => cb(null, completionMsg(c)),
        (e) => fail(cb as grpc.sendUnaryData<unknown>, e),
      );
    },
    Close(call: grpc.ServerUnaryCall<CloseRequest, object>, cb: grpc.sendUnaryData<object>) {
      const s = sessions.get(call.request.session);
      sessions.delete(call.request.session);
      (s?.close() ?? Promise.resolve()).then(
        () => cb(null, {}),
        () => cb(null, {}),
      );
    },
  });
  const bound = await new Promise<number>((res, rej) =>
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? rej(err) : res(p))),
  );
  return {
    address: `${host}:${bound}`,
    port: bound,
    stop: () =>
      new Promise<void>((res) => {
        server.tryShutdown(() => res());
        setTimeout(() => {
          server.forceShutdown();
          res();
        }, 1000).unref();
      }),
  };
}
