import { pipeline, type Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';

/** Read at least `n` bytes (or to the end) and put them back, without consuming the stream. */
export function peek(stream: Readable, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let len = 0;
    const finish = () => {
      stream.off('readable', onReadable);
      stream.off('end', finish);
      stream.off('error', onError);
      const all = Buffer.concat(chunks);
      if (all.length > 0) stream.unshift(all);
      resolve(all.subarray(0, n));
    };
    const onError = (e: Error) => {
      stream.off('readable', onReadable);
      stream.off('end', finish);
      reject(e);
    };
    const onReadable = () => {
      for (let c: Buffer | null = stream.read(); c !== null; c = stream.read()) {
        chunks.push(c);
        len += c.length;
        if (len >= n) return finish();
      }
    };
    stream.on('readable', onReadable);
    stream.once('end', finish);
    stream.once('error', onError);
  });
}

function zstdStream(): Transform {
  let out: Transform;
  const d = new Decompress((chunk) => {
    out.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  });
  out = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        d.push(chunk);
        cb();
      } catch (e) {
        cb(e as Error);
      }
    },
    flush(cb) {
      try {
        d.push(new Uint8Array(0), true);
        cb();
      } catch (e) {
        cb(e as Error);
      }
    },
  });
  return out;
}

/** zstd's own default limit for decoders (windowLogMax 27). */
const MAX_ZSTD_WINDOW = 128 * 2 ** 20;

/**
 * The window a zstd frame declares (the decoder allocates that much up front): from the window
 * descriptor, or the content size for single-segment frames.
 */
export function zstdWindow(h: Buffer): number | undefined {
  if (h.length < 6) return undefined;
  const fhd = h[4]!;
  const fcsFlag = fhd >> 6;
  const single = (fhd >> 5) & 1;
  const dictBytes = [0, 1, 2, 4][fhd & 3]!;
  if (!single) {
    const wd = h[5]!;
    const base = 2 ** (10 + (wd >> 3));
    return base + (base / 8) * (wd & 7);
  }
  const at = 5 + dictBytes;
  const size = [1, 2, 4, 8][fcsFlag]!;
  if (h.length < at + size) return undefined;
  if (size === 1) return h[at]!;
  if (size === 2) return h.readUInt16LE(at) + 256;
  if (size === 4) return h.readUInt32LE(at);
  return Number(h.readBigUInt64LE(at));
}

export interface ExpansionLimits {
  /** Hard cap on the uncompressed size of one layer. */
  maxBytes: number;
  /** Above `ratioFloor` expanded bytes, a compression ratio over `maxRatio` is treated as a bomb. */
  maxRatio: number;
  ratioFloor: number;
}

export const DEFAULT_LIMITS: ExpansionLimits = { maxBytes: 64 * 2 ** 30, maxRatio: 100, ratioFloor: 2 ** 30 };

export class DecompressionBombError extends Error {
  override readonly name = 'DecompressionBombError';
}

/**
 * The layer as a tar stream: gzip and zstd are recognised by their magic bytes (media types lie), anything
 * else is passed through as tar. Expansion is counted; a layer beyond the limits fails with
 * DecompressionBombError before memory or time run away.
 */
export async function tarStreamOf(
  blob: Readable,
  limits: ExpansionLimits = DEFAULT_LIMITS,
  onBytes?: (n: number) => void,
): Promise<Readable> {
  const head = await peek(blob, 18);
  let compressedBytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      compressedBytes += chunk.length;
      onBytes?.(chunk.length);
      cb(null, chunk);
    },
  });
  let decoder: Transform | undefined;
  if (head[0] === 0x1f && head[1] === 0x8b) decoder = createGunzip({ chunkSize: 256 * 1024 });
  else if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) {
    const window = zstdWindow(head);
    if (window === undefined || window > MAX_ZSTD_WINDOW)
      throw new DecompressionBombError(
        `zstd frame asks for a ${window ?? 'malformed'} byte window (limit ${MAX_ZSTD_WINDOW})`,
      );
    decoder = zstdStream();
  }
  if (!decoder) {
    if (!onBytes) return blob;
    return piped(blob, counter);
  }
  let expanded = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      expanded += chunk.length;
      if (expanded > limits.maxBytes)
        return cb(new DecompressionBombError(`layer expands beyond ${limits.maxBytes} bytes`));
      if (expanded > limits.ratioFloor && expanded > compressedBytes * limits.maxRatio)
        return cb(
          new DecompressionBombError(
            `layer expands more than ${limits.maxRatio}× (${expanded} bytes from ${compressedBytes}): decompression bomb`,
          ),
        );
      cb(null, chunk);
    },
  });
  return piped(blob, counter, decoder, guard);
}

/**
 * Chain streams so that an error in any of them (a digest mismatch found at the end of a blob, a corrupt
 * gzip member, a read error) destroys them all and reaches the last one, whose reader sees it as its one
 * rejection: no stream in the chain is left with an 'error' event nobody listens to.
 */
export function piped(first: Readable, ...rest: Transform[]): Readable {
  const last = rest.at(-1);
  if (!last) return first;
  pipeline([first, ...rest], (error) => {
    if (error && !last.destroyed) last.destroy(error);
  });
  return last;
}
