import { type Readable, Transform } from 'node:stream';
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
  const head = await peek(blob, 4);
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
  else if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) decoder = zstdStream();
  if (!decoder) {
    if (!onBytes) return blob;
    blob.on('error', (e) => counter.destroy(e));
    return blob.pipe(counter);
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
  blob.on('error', (e) => counter.destroy(e));
  counter.on('error', (e) => decoder.destroy(e));
  decoder.on('error', (e) => guard.destroy(e));
  guard.on('close', () => {
    decoder.destroy();
    counter.destroy();
    blob.destroy();
  });
  return blob.pipe(counter).pipe(decoder).pipe(guard);
}
