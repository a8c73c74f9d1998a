/**
 * For tests of shell tools (tools/doctor.sh, tools/install-node.sh): a PATH made of one temporary directory that
 * links every command of the real PATH except the ones left out, plus fake commands (shell scripts) given by name.
 */
import { accessSync, chmodSync, constants, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { delimiter, join } from "path";

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** A directory to use as the whole PATH: the real commands minus `without`, plus `fakes` (name -> script body). */
export function fakePath(without: readonly string[], fakes: Readonly<Record<string, string>> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "fake-path-"));
  const linked = new Set<string>([...without, ...Object.keys(fakes)]);
  for (const source of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    let names: string[];
    try {
      names = readdirSync(source);
    } catch {
      continue;
    }
    for (const name of names) {
      if (linked.has(name) || !isExecutable(join(source, name))) continue;
      linked.add(name);
      symlinkSync(join(source, name), join(dir, name));
    }
  }
  for (const [name, body] of Object.entries(fakes)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}
