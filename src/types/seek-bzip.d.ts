/** The part of seek-bzip (CommonJS, no published types) that the advisory reader uses. */
declare module 'seek-bzip' {
  namespace Bunzip {
    /** Where compressed bytes come from: `read` for a stream's 4-byte header, `readByte` for the rest. */
    interface InputStream {
      readByte(): number;
      read(buffer: Uint8Array, offset: number, length: number): number;
    }
    /** Where decompressed bytes go, one at a time. */
    interface OutputStream {
      writeByte(byte: number): void;
    }
  }
  const Bunzip: {
    /**
     * Decode one bzip2 stream (more with `multistream`, when the input has `eof`), checking each block's CRC and
     * the stream's; errors are TypeErrors with an `errorCode`.
     */
    decode(
      input: Bunzip.InputStream | Uint8Array,
      output?: Bunzip.OutputStream | Uint8Array | number,
      multistream?: boolean,
    ): Buffer | undefined;
  };
  export = Bunzip;
}
