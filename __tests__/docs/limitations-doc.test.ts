/** docs/limitations.md "Throughput" must quote bench/results.json (the machine and every load figure). */
import { readFileSync } from "fs";
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
