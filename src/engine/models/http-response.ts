// The Response that the fetch on node:http (http-fetch.ts) gives the SDKs. Both SDKs read
// every answer with `json()`: this one collects the socket's chunks and parses them, where a
// web Response wraps them in a web stream and reads it back through undici (~12% of the main
// thread's CPU over 2,000 requests: the README's dependencies). A web stream is made only for
// a caller that asks for `body`.
import type http from 'node:http';

const UTF8 = new TextDecoder(); // as Response.text(): a leading BOM dropped, bad bytes replaced
/** Bytes a body may hold before anyone reads it; past this the socket is paused. */
const HIGH_WATER_MARK = 64 * 1024;

export class NodeResponse implements Response {
  readonly type = 'basic';
  readonly url: string;
  readonly redirected = false;
  #stream: ReadableStream<Uint8Array> | null = null;
  #used = false;

  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    url: URL,
    private readonly incoming: IncomingBody | null,
  ) {
    this.url = url.href;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (!this.incoming) return null;
    return (this.#stream ??= this.incoming.stream());
  }

  /** Read through this response, or its stream held by a reader (a web stream does not tell whether it was read). */
  get bodyUsed(): boolean {
    return this.#used || (this.#stream?.locked ?? false);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.#bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }

  async text(): Promise<string> {
    return UTF8.decode(await this.#bytes());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async blob(): Promise<Blob> {
    return new Blob([await this.#bytes()], { type: this.headers.get('content-type') ?? '' });
  }

  async formData(): Promise<FormData> {
    return this.#asWebResponse(await this.#bytes()).formData();
  }

  clone(): Response {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    const [mine, theirs] = this.body?.tee() ?? [null, null];
    this.#stream = mine;
    return this.#asWebResponse(theirs);
  }

  #bytes(): Promise<Buffer> {
    if (this.bodyUsed) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    this.#used = true;
    if (!this.incoming) return Promise.resolve(Buffer.alloc(0));
    if (this.#stream) return new Response(this.#stream).arrayBuffer().then((bytes) => Buffer.from(bytes));
    return this.incoming.whole();
  }

  #asWebResponse(body: ReadableStream<Uint8Array> | Buffer | null): Response {
    return new Response(body, { status: this.status, statusText: this.statusText, headers: this.headers });
  }
}

interface Reader {
  data(chunk: Buffer): void;
  settled(): void;
}

/**
 * A node:http response's body, heard from the moment the response arrives (so a reset before
 * anyone reads is not missed) and read once: whole, or as a web stream with backpressure. A
 * body cut short (reset, closed early, idle past the timeout) fails as undici's does, with
 * TypeError('terminated') and the socket's code in its cause; an aborted signal fails it with
 * the signal's reason.
 */
export class IncomingBody {
  #chunks: Buffer[] = [];
  #buffered = 0;
  #outcome: 'open' | 'ended' | { error: unknown } = 'open';
  #reader: Reader | undefined;

  constructor(
    private readonly res: http.IncomingMessage,
    signal: AbortSignal | undefined,
    timeoutMs: number | undefined,
  ) {
    const idle = timeoutMs
      ? setTimeout(() => res.destroy(socketError(`no response data for ${timeoutMs} ms`, 'ETIMEDOUT')), timeoutMs)
      : undefined;
    const settle = (outcome: 'ended' | { error: unknown }) => {
      if (this.#outcome !== 'open') return;
      this.#outcome = outcome;
      this.#reader?.settled();
    };
    const fail = (err: unknown) => settle({ error: signal?.aborted ? signal.reason : new TypeError('terminated', { cause: err }) });
    res.on('data', (chunk: Buffer) => {
      idle?.refresh();
      if (this.#reader) return this.#reader.data(chunk);
      this.#chunks.push(chunk);
      this.#buffered += chunk.byteLength;
      if (this.#buffered >= HIGH_WATER_MARK) res.pause();
    });
    res.once('end', () => settle('ended'));
    res.on('error', fail);
    res.once('close', () => {
      clearTimeout(idle);
      if (!res.complete) fail(socketError('the response ended before its body was complete', 'ERR_STREAM_PREMATURE_CLOSE'));
    });
  }

  whole(): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const settled = () => {
        const outcome = this.#outcome;
        if (outcome === 'ended') resolve(Buffer.concat(this.#chunks));
        else if (outcome !== 'open') reject(outcome.error);
      };
      this.#reader = { data: (chunk) => this.#chunks.push(chunk), settled };
      settled();
      this.res.resume();
    });
  }

  stream(): ReadableStream<Uint8Array> {
    const { res } = this;
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          for (const chunk of this.#chunks.splice(0)) controller.enqueue(chunk);
          const settled = () => {
            const outcome = this.#outcome;
            if (outcome === 'ended') controller.close();
            else if (outcome !== 'open') controller.error(outcome.error);
          };
          this.#reader = {
            data: (chunk) => {
              controller.enqueue(chunk);
              if ((controller.desiredSize ?? 0) <= 0) res.pause();
            },
            settled,
          };
          settled();
        },
        pull: () => {
          res.resume();
        },
        cancel: () => {
          this.#reader = undefined;
          res.destroy();
        },
      },
      { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
    );
  }
}

function socketError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}
