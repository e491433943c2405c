/**
 * An incremental CAR v1 reader (https://ipld.io/specs/transport/car/carv1/) fed with pieces of a byte stream
 * as they arrive: `varint(len) ‖ dag-cbor header`, then per block `varint(len) ‖ CID ‖ bytes`.
 *
 * Why not @ipld/car's iterator: it pulls through async iterators and copies each section out of a growing
 * buffer; here the caller pushes whatever the socket delivered (a view of a reused read buffer, valid only
 * during the call) and each block's bytes are copied once, straight into a buffer of exactly its size that
 * the block then owns. Nothing here trusts the stream: sizes are bounded before anything is allocated, and
 * the caller decides whether a block's CID was expected and verifies its bytes.
 */
import { CarBufferReader } from '@ipld/car/buffer-reader';
import { CID } from 'multiformats/cid';

export class CarFormatError extends Error {
  override name = 'CarFormatError';
}

/** A CAR header is a small dag-cbor map; anything bigger is hostile. */
const MAX_HEADER_BYTES = 64 * 1024;
/** Longest CID we accept at the head of a section (version, codec, hash code, length, 64-byte digest, slack). */
const MAX_CID_BYTES = 128;
/** A varint longer than this cannot be a sane length. */
const MAX_VARINT_BYTES = 8;

type State = 'header-length' | 'header' | 'section-length' | 'section-head' | 'block';

export interface CarReaderOptions {
  /** Largest block accepted, in bytes (the section's CID not counted). */
  maxBlockBytes: number;
  /** Called once the header has been read, with its roots. */
  onHeader?: (roots: CID[]) => void;
  /**
   * Called for each block, synchronously; `bytes` (the first bytes of `buffer`) belong to the callee.
   * Throwing stops the reader.
   */
  onBlock: (cid: CID, bytes: Buffer, buffer: Buffer) => void;
  /** Memory for a block of `size` bytes (at least that long). Default: a fresh buffer of exactly `size`. */
  allocate?: (size: number) => Buffer;
}

export class CarReader {
  private state: State = 'header-length';
  private varintValue = 0;
  private varintBytes = 0;
  /** Header, or the head of a section (its CID and the first bytes after it). */
  private scratch = Buffer.allocUnsafe(MAX_CID_BYTES);
  private scratchFill = 0;
  private scratchWant = 0;
  private headerBytes?: Buffer;
  private sectionLength = 0;
  private cid?: CID;
  private block?: Buffer;
  private blockBuffer?: Buffer;
  private blockFill = 0;
  private readonly options: CarReaderOptions;
  /** Blocks read so far. */
  blocks = 0;

  constructor(options: CarReaderOptions) {
    this.options = options;
  }

  /** Feeds the next piece of the stream. `chunk` is only read during the call. */
  write(chunk: Uint8Array): void {
    let at = 0;
    const end = chunk.byteLength;
    while (at < end) {
      switch (this.state) {
        case 'header-length':
        case 'section-length': {
          const byte = chunk[at++]!;
          this.varintValue += (byte & 0x7f) * 2 ** (7 * this.varintBytes);
          this.varintBytes++;
          if (byte & 0x80) {
            if (this.varintBytes >= MAX_VARINT_BYTES) throw new CarFormatError('CAR length varint too long');
            break;
          }
          const length = this.varintValue;
          this.varintValue = 0;
          this.varintBytes = 0;
          if (this.state === 'header-length') this.startHeader(length);
          else this.startSection(length);
          break;
        }
        case 'header': {
          const header = this.headerBytes!;
          const n = Math.min(end - at, header.byteLength - this.scratchFill);
          header.set(chunk.subarray(at, at + n), this.scratchFill);
          this.scratchFill += n;
          at += n;
          if (this.scratchFill === header.byteLength) this.finishHeader();
          break;
        }
        case 'section-head': {
          const n = Math.min(end - at, this.scratchWant - this.scratchFill);
          this.scratch.set(chunk.subarray(at, at + n), this.scratchFill);
          this.scratchFill += n;
          at += n;
          if (this.scratchFill === this.scratchWant) this.finishSectionHead();
          break;
        }
        case 'block': {
          const block = this.block!;
          const n = Math.min(end - at, block.byteLength - this.blockFill);
          block.set(chunk.subarray(at, at + n), this.blockFill);
          this.blockFill += n;
          at += n;
          if (this.blockFill === block.byteLength) this.finishBlock();
          break;
        }
      }
    }
  }

  /** The stream ended: throws unless it ended exactly between two blocks, after the header. */
  end(): void {
    if (this.state === 'section-length' && this.varintBytes === 0) return;
    if (this.state === 'header-length' || this.state === 'header') {
      throw new CarFormatError('CAR stream ended before its header');
    }
    throw new CarFormatError('CAR stream ended inside a block');
  }

  private startHeader(length: number): void {
    if (length === 0 || length > MAX_HEADER_BYTES)
      throw new CarFormatError(`bad CAR header length ${length}`);
    // The header is decoded with @ipld/car from its own varint prefix, so keep room for it.
    const prefix = varintBytes(length);
    this.headerBytes = Buffer.allocUnsafe(prefix.byteLength + length);
    this.headerBytes.set(prefix, 0);
    this.scratchFill = prefix.byteLength;
    this.state = 'header';
  }

  private finishHeader(): void {
    let roots: CID[];
    let version: number;
    try {
      const reader = CarBufferReader.fromBytes(this.headerBytes!);
      version = reader.version;
      roots = reader.getRoots();
    } catch (err) {
      throw new CarFormatError(`bad CAR header: ${(err as Error).message}`);
    }
    if (version !== 1) throw new CarFormatError(`CAR version ${version} where 1 was asked`);
    this.headerBytes = undefined;
    this.scratchFill = 0;
    this.state = 'section-length';
    this.options.onHeader?.(roots);
  }

  private startSection(length: number): void {
    if (length === 0) throw new CarFormatError('empty CAR section');
    if (length > this.options.maxBlockBytes + MAX_CID_BYTES) {
      throw new CarFormatError(`CAR section of ${length} bytes is larger than the block limit`);
    }
    this.sectionLength = length;
    this.scratchFill = 0;
    this.scratchWant = Math.min(length, MAX_CID_BYTES);
    this.state = 'section-head';
  }

  private finishSectionHead(): void {
    const head = this.scratch.subarray(0, this.scratchFill);
    let cid: CID;
    let cidLength: number;
    try {
      cidLength = CID.inspectBytes(head).size;
      if (cidLength > head.byteLength) throw new Error('section is shorter than its CID');
      // A copy: the scratch buffer is reused for the next section.
      cid = CID.decode(Uint8Array.prototype.slice.call(head, 0, cidLength));
    } catch (err) {
      throw new CarFormatError(`bad CID in CAR section: ${(err as Error).message}`);
    }
    const blockLength = this.sectionLength - cidLength;
    if (blockLength > this.options.maxBlockBytes) {
      throw new CarFormatError(`block ${cid} is larger than ${this.options.maxBlockBytes} bytes`);
    }
    this.cid = cid;
    this.blockBuffer = this.options.allocate?.(blockLength) ?? Buffer.allocUnsafe(blockLength);
    this.block = this.blockBuffer.subarray(0, blockLength);
    this.block.set(head.subarray(cidLength), 0);
    this.blockFill = head.byteLength - cidLength;
    this.state = 'block';
    if (this.blockFill === blockLength) this.finishBlock();
  }

  private finishBlock(): void {
    const cid = this.cid!;
    const block = this.block!;
    const buffer = this.blockBuffer!;
    this.cid = undefined;
    this.block = undefined;
    this.blockBuffer = undefined;
    this.blockFill = 0;
    this.state = 'section-length';
    this.blocks++;
    this.options.onBlock(cid, block, buffer);
  }
}

function varintBytes(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Uint8Array.from(out);
}
