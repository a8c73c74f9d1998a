import * as fs from "fs";
import { builtImage } from "../../stacks/image";
import { makeImageFixture } from "../../test-support/image-fixture";

const SETTING = "environments.dev-fargate.compute.kind";

describe("builtImage: what the task definition takes from the built layout", () => {
  test("digest, user, port, writable paths, health check and layer size come from the layout", () => {
    const image = builtImage(SETTING, "arm64", makeImageFixture());
    expect(image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(image).toMatchObject({
      user: "10001:10001",
      port: 8000,
      writablePaths: ["/tmp"],
      healthCheckCommand: ["/usr/bin/python3.11", "/app/healthcheck.py"],
      compressedBytes: "layer bytes".length,
    });
  });

  test("a missing layout fails synthesis naming the setting and make image", () => {
    expect(() => builtImage(SETTING, "x86_64", makeImageFixture())).toThrow(
      /environments\.dev-fargate\.compute\.kind \(fargate, x86_64\) needs the image app\/build\/image\/linux-amd64, which `make image` builds/,
    );
  });

  test("a digest file that is not the layout's manifest is refused", () => {
    const app = makeImageFixture({ digestFile: `sha256:${"0".repeat(64)}` });
    expect(() => builtImage(SETTING, "arm64", app)).toThrow(/which index\.json does not list/);
  });

  test("an image built for another architecture is refused", () => {
    // An amd64 layout in the arm64 directory.
    const app = makeImageFixture({ architecture: "arm64" });
    const index = `${app}/build/image/linux-arm64/index.json`;
    fs.writeFileSync(
      index,
      fs.readFileSync(index, "utf8").replace('"architecture":"arm64"', '"architecture":"amd64"'),
    );
    expect(() => builtImage(SETTING, "arm64", app)).toThrow(/built for amd64, not arm64/);
  });

  test("a root user or more than one port is refused", () => {
    expect(() => builtImage(SETTING, "arm64", makeImageFixture({ user: "0:0" }))).toThrow(
      /not a non-root uid:gid/,
    );
    expect(() => builtImage(SETTING, "arm64", makeImageFixture({ user: "" }))).toThrow(
      /not a non-root uid:gid/,
    );
    expect(() => builtImage(SETTING, "arm64", makeImageFixture({ ports: ["8000/tcp", "9000/tcp"] }))).toThrow(
      /expected one TCP port/,
    );
  });
});
