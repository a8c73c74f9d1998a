import { ComputeConfig, projectConfig } from "../../config";
import { bundlesNeeded } from "../../tools/bundles";

const [dev, prod] = projectConfig.environments;

test("one bundle per distinct architecture and upload limit, as app/Makefile takes them", () => {
  expect(
    bundlesNeeded({ ...projectConfig, environments: [dev, { ...prod, uploadLimitMb: dev.uploadLimitMb }] }),
  ).toEqual([`aarch64 ${dev.uploadLimitMb} build/bundles/arm64-upload-${dev.uploadLimitMb}mb`]);
  expect(
    bundlesNeeded({
      ...projectConfig,
      environments: [
        { ...dev, uploadLimitMb: 10 },
        {
          ...prod,
          uploadLimitMb: 20,
          compute: { ...prod.compute, instanceType: "m7i.large", architecture: "x86_64" } as ComputeConfig,
        },
      ],
    }),
  ).toEqual(["aarch64 10 build/bundles/arm64-upload-10mb", "x86_64 20 build/bundles/x86_64-upload-20mb"]);
});

test("an invalid configuration lists no bundle: it fails naming the setting", () => {
  expect(() => bundlesNeeded({ ...projectConfig, environments: [{ ...dev, uploadLimitMb: 0 }] })).toThrow(
    /environments\.dev\.uploadLimitMb/,
  );
});
