// Standard output and standard error as the CLI writes them: a write that
// fails (a full disk, a closed pipe, a lost terminal) is remembered, never
// thrown at the user as a stack trace, and ends the run with a defined code.

/** One standard stream: writes in slices with backpressure, and keeps the first failure. */
export class Sink {
  private failure: NodeJS.ErrnoException | undefined;
  private opened: NodeJS.WritableStream | undefined;

  /** `open` is called at the first write: a run that prints nothing on standard error never creates that stream. */
  constructor(private readonly open: () => NodeJS.WritableStream) {}

  private get stream(): NodeJS.WritableStream {
    if (this.opened === undefined) {
      this.opened = this.open();
      // Asynchronous failures (a pipe, a terminal) arrive as events; without a listener they would crash the process.
      this.opened.on("error", (e: NodeJS.ErrnoException) => {
        this.failure ??= e;
      });
    }
    return this.opened;
  }

  /** The first write that failed, if any. */
  get failed(): NodeJS.ErrnoException | undefined {
    return this.failure;
  }

  /**
   * Writes piece by piece (long strings in slices of 1 MiB, so a trace of
   * hundreds of megabytes is never copied into one buffer), waiting for the
   * stream to drain, then until everything written has left. Stops at the first failure.
   */
  async write(output: string | Iterable<string>): Promise<void> {
    const SLICE = 1 << 20;
    for (const piece of typeof output === "string" ? [output] : output) {
      for (let i = 0; i < piece.length; i += SLICE) {
        if (this.failure) return;
        const ok = this.tryWrite(piece.length <= SLICE ? piece : piece.slice(i, i + SLICE));
        if (!ok && !this.failure) await this.drained();
      }
    }
    await this.flushed();
  }

  /** Writes now, without waiting: for messages on standard error, where a failure has nowhere else to go. */
  writeNow(text: string): void {
    if (!this.failure && text !== "") this.tryWrite(text);
  }

  private tryWrite(text: string): boolean {
    try {
      return this.stream.write(text);
    } catch (e) {
      // A file (or /dev/full) is written synchronously: its failure is thrown right here.
      this.failure ??= e as NodeJS.ErrnoException;
      return false;
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.stream.off("drain", done);
        this.stream.off("error", done);
        resolve();
      };
      this.stream.once("drain", done);
      this.stream.once("error", done);
    });
  }

  /** Resolves once everything written so far has been handed to the system (or has failed). */
  private flushed(): Promise<void> {
    if (this.failure) return Promise.resolve();
    return new Promise((resolve) => {
      try {
        this.stream.write("", (e?: Error | null) => {
          if (e) this.failure ??= e as NodeJS.ErrnoException;
          resolve();
        });
      } catch (e) {
        this.failure ??= e as NodeJS.ErrnoException;
        resolve();
      }
    });
  }
}

/** A reader that stops early (`| head`) closes the pipe: not a failure of the run, as for other tools. */
export function isClosedPipe(e: NodeJS.ErrnoException): boolean {
  return e.code === "EPIPE";
}
