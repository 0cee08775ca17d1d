// A minimal Language Server Protocol client over stdio (JSON-RPC with
// Content-Length headers): enough to drive a real language server as an
// editor does (initialize, open a document, hover, complete, diagnostics).
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
}

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  severity?: number;
  source?: string;
}

export class LspClient {
  private readonly server: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (m: Message) => void }>();
  private readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly waiting = new Map<string, ((d: Diagnostic[]) => void)[]>();
  stderr = "";

  /** `answer` replies to the server's own requests (workspace/configuration and the like). */
  constructor(
    command: string,
    args: readonly string[],
    private readonly answer: (method: string, params: unknown) => unknown,
  ) {
    this.server = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.server.stdout.on("data", (d: Buffer) => this.read(d));
    this.server.stderr.on("data", (d: Buffer) => (this.stderr += d.toString()));
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)) });
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  /** The next diagnostics the server publishes for `uri` (or those it already published). */
  diagnosticsOf(uri: string): Promise<Diagnostic[]> {
    const seen = this.diagnostics.get(uri);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiting.set(uri, [...(this.waiting.get(uri) ?? []), resolve]));
  }

  async close(): Promise<void> {
    try {
      await this.request("shutdown", null);
      this.notify("exit", null);
    } finally {
      this.server.kill();
    }
  }

  private send(m: Message): void {
    const body = JSON.stringify({ jsonrpc: "2.0", ...m });
    this.server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1] ?? "0");
      if (this.buffer.length < end + 4 + length) return;
      const m = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.dispatch(m);
    }
  }

  private dispatch(m: Message): void {
    if (m.id !== undefined && m.method !== undefined) this.send({ id: m.id, result: this.answer(m.method, m.params) ?? null });
    else if (m.id !== undefined) this.pending.get(m.id)?.resolve(m);
    else if (m.method === "textDocument/publishDiagnostics") {
      const { uri, diagnostics } = m.params as { uri: string; diagnostics: Diagnostic[] };
      this.diagnostics.set(uri, diagnostics);
      for (const resolve of this.waiting.get(uri) ?? []) resolve(diagnostics);
      this.waiting.delete(uri);
    }
  }
}
