/**
 * Reads MODEL_PATH. Only a regular file is read: opening a FIFO (or a terminal, or some devices) blocks one of
 * libuv's threads until a writer shows up, and a blocked thread keeps the process from exiting, even on SIGTERM.
 */
import type { Stats } from "node:fs";
import * as fs from "node:fs/promises";

export class ModelFileError extends Error {
  override readonly name = "ModelFileError";
}

export async function readModelFile(file: string): Promise<string> {
  const stat = await fs.stat(file).catch((error: Error) => {
    throw new ModelFileError(`cannot read MODEL_PATH: ${error.message}`);
  });
  if (!stat.isFile()) {
    throw new ModelFileError(`MODEL_PATH ${file} is ${kind(stat)}, not a regular file; refusing to read it`);
  }
  return fs.readFile(file, "utf8").catch((error: Error) => {
    throw new ModelFileError(`cannot read MODEL_PATH: ${error.message}`);
  });
}

function kind(stat: Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  return "not a regular file";
}
