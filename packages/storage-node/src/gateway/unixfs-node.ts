/**
 * What `ls` and `files/stat` read from a dag-pb node, the way boxo's `unixfs.FSNode` reports it: its UnixFS type,
 * file size, optional mode (as Go's `os.FileMode`: permission bits plus the directory or symlink type bit) and
 * modification time.
 */
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import type { CID } from 'multiformats/cid';
import { UndecodableBlockError } from './ipld-links.ts';

/** unixfs.proto `Data.DataType`, the numbers Kubo's `ls` prints as `Type`. */
export const UNIXFS_TYPE = {
  raw: 0,
  directory: 1,
  file: 2,
  metadata: 3,
  symlink: 4,
  'hamt-sharded-directory': 5,
} as const;

/** Go's `os.ModeDir` and `os.ModeSymlink`. */
const GO_MODE_DIR = 2 ** 31;
const GO_MODE_SYMLINK = 2 ** 27;

export interface FsNode {
  node: dagPb.PBNode;
  unixfs: UnixFS;
  type: keyof typeof UNIXFS_TYPE;
}

/** A dag-pb block as UnixFS; {@link UndecodableBlockError} when it is not. */
export function readFsNode(cid: CID, bytes: Uint8Array): FsNode {
  let node: dagPb.PBNode;
  let unixfs: UnixFS;
  try {
    node = dagPb.decode(bytes);
    if (node.Data === undefined) throw new Error('no UnixFS data');
    unixfs = UnixFS.unmarshal(node.Data);
  } catch (err) {
    throw new UndecodableBlockError(`${cid} is not a UnixFS node: ${(err as Error).message}`);
  }
  return { node, unixfs, type: unixfs.type as FsNode['type'] };
}

export function isDirectory(type: FsNode['type']): boolean {
  return type === 'directory' || type === 'hamt-sharded-directory' || type === 'metadata';
}

/** boxo `FSNode.FileSize()`: a file's (or raw node's) byte length; 0 for directories. */
export function fileSize(fs: FsNode): number {
  return isDirectory(fs.type) ? 0 : Number(fs.unixfs.fileSize());
}

/** boxo `FSNode.Mode()` as Go's `os.FileMode` number: 0 when the node carries no mode. */
export function goFileMode(fs: FsNode): number {
  // ipfs-unixfs reports a default mode when none was stored; `_originalMode` is what the block held (0 = none).
  const stored = (fs.unixfs as unknown as { _originalMode?: number })._originalMode ?? 0;
  if (stored === 0) return 0;
  const perms = stored & 0o7777;
  if (isDirectory(fs.type)) return GO_MODE_DIR + perms;
  if (fs.type === 'symlink') return GO_MODE_SYMLINK + perms;
  return perms;
}

/** Modification time, when stored: seconds and nanoseconds. */
export function mtimeOf(fs: FsNode): { secs: number; nsecs: number } | undefined {
  const m = fs.unixfs.mtime;
  if (m === undefined) return undefined;
  return { secs: Number(m.secs), nsecs: m.nsecs ?? 0 };
}

/** Go's zero `time.Time` in JSON, what Kubo prints for a node without a modification time. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

export function goTime(mtime: { secs: number; nsecs: number } | undefined): string {
  if (mtime === undefined) return GO_ZERO_TIME;
  const iso = new Date(mtime.secs * 1000).toISOString().replace(/\.000Z$/, '');
  const frac = mtime.nsecs > 0 ? `.${String(mtime.nsecs).padStart(9, '0').replace(/0+$/, '')}` : '';
  return `${iso.replace(/Z$/, '')}${frac}Z`;
}
