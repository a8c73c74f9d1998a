/**
 * The EC2 release bundle: the files of the offline source bundle (`make bundle`) that the instances need, packed into
 * a byte-for-byte reproducible tar (POSIX ustar: sorted names, owner 0, mtime 0, modes 0644/0755). The same bundle
 * directory always gives the same archive and the same SHA-256, so the boot script can pin the hash and a launch
 * template changes exactly when the bundle's content does. Format: POSIX.1-1988 ustar as in the pax(1) spec
 * (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_06).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/** What the instances install: the app, its WSGI entry and gunicorn settings, the pinned requirements and wheels. */
export const EC2_BUNDLE_ENTRIES: readonly string[] = [
  "application.py",
  "gunicorn.conf.py",
  "imageshare",
  "requirements.txt",
  "wheels",
];

const BLOCK = 512;

interface Entry {
  readonly name: string;
  readonly directory: boolean;
  readonly executable: boolean;
  readonly content?: Buffer;
}

function collect(root: string, relative: string, out: Entry[]): void {
  const full = path.join(root, relative);
  const stat = fs.lstatSync(full);
  if (stat.isSymbolicLink()) throw new Error(`bundle archive: ${relative} is a symbolic link`);
  if (stat.isDirectory()) {
    out.push({ name: `${relative}/`, directory: true, executable: true });
    for (const child of fs.readdirSync(full).sort()) {
      if (child === "__pycache__") continue;
      collect(root, path.posix.join(relative, child), out);
    }
    return;
  }
  out.push({
    name: relative,
    directory: false,
    executable: (stat.mode & 0o111) !== 0,
    content: fs.readFileSync(full),
  });
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

/** One ustar header; names longer than 100 bytes use the 155-byte prefix field. */
function header(entry: Entry): Buffer {
  const block = Buffer.alloc(BLOCK, 0);
  let name = entry.name;
  let prefix = "";
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf("/", name.length - 2);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
    if (cut < 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) {
      throw new Error(`bundle archive: path too long for ustar: ${entry.name}`);
    }
  }
  block.write(name, 0, 100, "utf8");
  block.write(octal(entry.directory || entry.executable ? 0o755 : 0o644, 8), 100, "ascii");
  block.write(octal(0, 8), 108, "ascii");
  block.write(octal(0, 8), 116, "ascii");
  block.write(octal(entry.content?.length ?? 0, 12), 124, "ascii");
  block.write(octal(0, 12), 136, "ascii");
  block.write(" ".repeat(8), 148, "ascii");
  block.write(entry.directory ? "5" : "0", 156, "ascii");
  block.write("ustar\0", 257, "ascii");
  block.write("00", 263, "ascii");
  block.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "ascii");
  return block;
}

/** The archive's bytes for a bundle directory. Fails when an expected entry is missing. */
export function bundleArchive(bundleDirectory: string): Buffer {
  const entries: Entry[] = [];
  for (const name of EC2_BUNDLE_ENTRIES) {
    if (!fs.existsSync(path.join(bundleDirectory, name))) {
      throw new Error(`bundle archive: ${bundleDirectory} has no ${name}: run \`make bundle\``);
    }
    collect(bundleDirectory, name, entries);
  }
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(header(entry));
    if (entry.content) {
      parts.push(entry.content);
      const padding = (BLOCK - (entry.content.length % BLOCK)) % BLOCK;
      parts.push(Buffer.alloc(padding, 0));
    }
  }
  parts.push(Buffer.alloc(2 * BLOCK, 0));
  return Buffer.concat(parts);
}

/** Writes the archive as `<outDir>/<sha256>.tar` (once per content) and returns its path and hash. */
export function writeBundleArchive(
  bundleDirectory: string,
  outDirectory: string,
): { readonly file: string; readonly sha256: string } {
  const archive = bundleArchive(bundleDirectory);
  const sha256 = crypto.createHash("sha256").update(archive).digest("hex");
  fs.mkdirSync(outDirectory, { recursive: true });
  const file = path.join(outDirectory, `${sha256}.tar`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, archive);
  return { file, sha256 };
}
