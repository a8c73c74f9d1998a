import { projectConfig } from "../../config";
import { environmentBundle } from "../../stacks/bundle";
import { bundleDirectoryInApp } from "../../shared/bundle";
import { synthProject } from "../../test-support/synth";

const [dev, prod] = projectConfig.environments;
/** An upload limit nobody builds a bundle for. */
const UNBUILT_LIMIT = 1023;

test("the bundle's identity holds everything that shapes it: architecture and upload limit", () => {
  const names = [
    bundleDirectoryInApp("arm64", 10),
    bundleDirectoryInApp("arm64", 20),
    bundleDirectoryInApp("x86_64", 10),
  ];
  expect(new Set(names).size).toBe(3);
});

test("an environment uses the bundle built for its own architecture and upload limit", () => {
  expect(environmentBundle(dev)).toMatch(/app\/build\/bundles\/arm64-upload-10mb$/);
});

test("a configuration without its bundle fails synthesis naming the environment's two settings", () => {
  const config = {
    ...projectConfig,
    environments: [dev, { ...prod, uploadLimitMb: UNBUILT_LIMIT }],
  };
  expect(() => synthProject(config)).toThrow(
    /environments\.prod\.compute\.architecture \(arm64\) and environments\.prod\.uploadLimitMb \(1023\) need the bundle app\/build\/bundles\/arm64-upload-1023mb, which `make bundle` builds/,
  );
});
