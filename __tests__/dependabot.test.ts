import { existsSync, readdirSync, readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";

interface Update {
  "package-ecosystem": string;
  directory?: string;
  directories?: string[];
  schedule: { interval: string };
}

const config = parse(readFileSync(".github/dependabot.yml", "utf8")) as {
  version: number;
  updates: Update[];
};
const directoriesOf = (u: Update) => u.directories ?? [u.directory ?? ""];
const updatesFor = (ecosystem: string) =>
  config.updates.filter((u) => u["package-ecosystem"] === ecosystem).flatMap(directoriesOf);

/** Where each ecosystem keeps its manifests, relative to a configured directory. */
const MANIFESTS: Record<string, (dir: string) => boolean> = {
  npm: (dir) => existsSync(join(dir, "package.json")) && existsSync(join(dir, "package-lock.json")),
  pip: (dir) => readdirSync(dir).some((f) => /^requirements.*\.(in|txt|lock)$/.test(f)),
  "github-actions": (dir) => existsSync(join(dir, ".github", "workflows")),
};

describe("Dependabot keeps every dependency manifest current", () => {
  test("is a version 2 file with a schedule on every entry", () => {
    expect(config.version).toBe(2);
    for (const update of config.updates)
      expect(["daily", "weekly", "monthly"]).toContain(update.schedule.interval);
  });

  test("covers npm at the root, the app's pip locks and the GitHub Actions", () => {
    expect(updatesFor("npm")).toContain("/");
    expect(updatesFor("pip")).toEqual(expect.arrayContaining(["/app", "/tools", "/tools/checkov"]));
    expect(updatesFor("github-actions")).toContain("/");
  });

  test("every configured directory holds a manifest of its ecosystem", () => {
    for (const update of config.updates) {
      const hasManifest = MANIFESTS[update["package-ecosystem"]];
      expect(hasManifest).toBeDefined();
      for (const dir of directoriesOf(update))
        expect([dir, hasManifest(join(".", dir))]).toEqual([dir, true]);
    }
  });

  test("every pip requirements file in the repository is covered", () => {
    const pipDirs = new Set(updatesFor("pip").map((d) => d.replace(/^\//, "")));
    for (const dir of ["app", "tools", "tools/checkov"]) {
      if (MANIFESTS.pip(dir)) expect(pipDirs.has(dir)).toBe(true);
    }
  });
});
