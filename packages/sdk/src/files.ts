/**
 * Files and directories on disk as upload entries (Node.js only): directories first, each file streamed when the
 * upload reaches it.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { FileNotFoundError } from './errors.ts';
import type { UploadEntry } from './gateway.ts';

/** Upper bound on entries of one directory upload (a mistaken `store /` should fail fast, not walk the disk). */
export const MAX_UPLOAD_ENTRIES = 100_000;

/**
 * The entries of `path`: one file, or a directory tree named by the directory's base name.
 *
 * @example
 * const entries = await entriesFromPath('./photos'); // [{ path: 'photos' }, { path: 'photos/a.jpg', content, size }, …]
 */
export async function entriesFromPath(path: string): Promise<UploadEntry[]> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FileNotFoundError(
      code === 'ENOENT'
        ? `${path}: no such file or directory`
        : `${path}: cannot read it (${code ?? (err as Error).message})`,
    );
  }
  const file = (p: string, name: string, size: number): UploadEntry => ({
    path: name,
    size,
    content: () => createReadStream(p, { highWaterMark: 256 * 1024 }) as AsyncIterable<Uint8Array>,
  });
  if (st.isFile()) return [file(path, basename(path), st.size)];
  if (!st.isDirectory()) throw new FileNotFoundError(`${path}: not a regular file or directory`);
  const root = basename(path.replace(/[/\\]+$/, '')) || 'root';
  const out: UploadEntry[] = [{ path: root }];
  const walk = async (dir: string): Promise<void> => {
    const items = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const item of items) {
      if (out.length >= MAX_UPLOAD_ENTRIES)
        throw new FileNotFoundError(
          `${path}: more than ${MAX_UPLOAD_ENTRIES} entries; store a smaller directory`,
        );
      const full = join(dir, item.name);
      const name = `${root}/${relative(path, full).split(sep).join('/')}`;
      if (item.isDirectory()) {
        out.push({ path: name });
        await walk(full);
      } else if (item.isFile()) out.push(file(full, name, (await stat(full)).size));
    }
  };
  await walk(path);
  return out;
}
