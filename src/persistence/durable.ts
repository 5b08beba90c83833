/**
 * Durable file writes shared by RDB saves and the AOF: data written and fsynced before the
 * caller goes on, and directory fsyncs so renames survive a crash.
 */
import fs from 'node:fs';

/** fsyncs a directory so new names in it are durable; best effort (not every file system
 *  allows it), errors ignored. */
export function fsyncDir(dir: string): void {
  let fd = -1;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // not supported everywhere
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

/** Writes all of `data` to `fd` (write() may take less than asked) and fsyncs it. Throws the
 *  file system error. */
export function writeAllSync(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
  fs.fsyncSync(fd);
}

/** Creates (or truncates) `p` and writes and fsyncs `data` before returning. */
export function writeFileDurable(p: string, data: Buffer, mode = 0o644): void {
  const fd = fs.openSync(p, 'w', mode);
  try {
    writeAllSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
}

/** writeFileDurable in the background. */
export async function writeFileDurableAsync(p: string, data: Buffer, mode = 0o644): Promise<void> {
  const fh = await fs.promises.open(p, 'w', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
