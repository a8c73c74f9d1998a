/**
 * docs/limitations.md "Throughput" must quote bench/results.json (the machine and every load figure); `make bench`
 * changes no tracked file, and `make bench-record` updates the results and the doc together.
 */
import { execFileSync, spawnSync } from "child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

const root = join(__dirname, "../..");
const doc = readFileSync(join(root, "docs/limitations.md"), "utf8");
const throughput = doc.split(/^## Throughput/m)[1]?.split(/^## /m)[0] ?? "";

interface Load {
  rps: number;
  p95_ms: number;
  app_cpu_ms_per_request: number;
}
const results = JSON.parse(readFileSync(join(root, "bench/results.json"), "utf8")) as {
  machine: { cores: number; cpu_model: string; memory_gb: number; python: string };
  uploads: Record<string, { upload_peak_rss_mb: number; throughput_mb_s: number }> & { idle_rss_mb: number };
  gallery: Record<
    "1000" | "10000",
    { gallery_p50_ms: number; gallery_p95_ms: number; app_share_p95_ms: number }
  >;
  tuning: Record<"before" | "after", Record<string, Load>>;
};

describe("docs/limitations.md throughput", () => {
  test("names the machine the benchmark ran on", () => {
    const m = results.machine;
    expect(throughput).toContain(`${m.cores} cores (${m.cpu_model}), ${m.memory_gb} GB, Python ${m.python}`);
  });

  test("quotes every gallery, upload and load figure of bench/results.json", () => {
    const figures: string[] = [];
    for (const g of [results.gallery["1000"], results.gallery["10000"]])
      figures.push(
        `p50 ${g.gallery_p50_ms} ms, p95 ${g.gallery_p95_ms} ms`,
        `app's share p95 ${g.app_share_p95_ms} ms`,
      );
    for (const size of ["1mb", "10mb", "100mb"]) {
      const u = results.uploads[size];
      figures.push(
        `+${u.upload_peak_rss_mb} MB over idle (${results.uploads.idle_rss_mb} MB), ${u.throughput_mb_s} MB/s`,
      );
    }
    for (const run of [results.tuning.before, results.tuning.after])
      for (const load of ["gallery_c8", "gallery_c32", "image_c8", "image_c32"])
        figures.push(`${run[load].rps} req/s, p95 ${run[load].p95_ms} ms`);
    expect(figures.filter((f) => !throughput.includes(f))).toEqual([]);
  });
});

describe("make bench and make bench-record", () => {
  const makefile = readFileSync(join(root, "Makefile"), "utf8");
  const recipe = (target: string) =>
    (new RegExp(`^${target}:.*\\n((?:\\t.*\\n)+)`, "m").exec(makefile)?.[1] ?? "").trim();

  test("make bench writes its figures only to a git-ignored file", () => {
    const out = /bench\/run\.py --out (\S+)/.exec(recipe("bench"))?.[1];
    expect(out).toBe("bench/latest.json");
    expect(recipe("bench")).not.toMatch(/results\.json|docs\//);
    expect(execFileSync("git", ["check-ignore", out!], { cwd: root, encoding: "utf8" }).trim()).toBe(out);
  });

  test("the doc's generated block is exactly what bench-record writes from bench/results.json", () => {
    expect(recipe("bench-record")).toBe("python3 bench/record.py");
    const check = spawnSync("python3", ["bench/record.py", "--check"], { cwd: root, encoding: "utf8" });
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: "" });
  });

  test("bench-record copies the latest figures into bench/results.json and the doc in one step", () => {
    const tree = mkdtempSync(join(tmpdir(), "bench-record-"));
    try {
      mkdirSync(join(tree, "bench"));
      mkdirSync(join(tree, "docs"));
      copyFileSync(join(root, "docs/limitations.md"), join(tree, "docs/limitations.md"));
      copyFileSync(join(root, "bench/results.json"), join(tree, "bench/results.json"));
      const latest = structuredClone(results);
      latest.gallery["1000"].gallery_p95_ms = 12345.67;
      writeFileSync(join(tree, "bench/latest.json"), JSON.stringify(latest));
      const record = (...args: string[]) =>
        spawnSync("python3", ["bench/record.py", "--root", tree, ...args], { cwd: root, encoding: "utf8" });

      expect(record().status).toBe(0);
      expect(JSON.parse(readFileSync(join(tree, "bench/results.json"), "utf8"))).toEqual(latest);
      expect(readFileSync(join(tree, "docs/limitations.md"), "utf8")).toContain("p95 12345.67 ms");
      expect(record("--check").status).toBe(0);

      writeFileSync(join(tree, "bench/results.json"), JSON.stringify(results));
      expect(record("--check").status).toBe(1);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
