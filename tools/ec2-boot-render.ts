/**
 * For the EC2 boot-script test (tools/e2e/ec2_boot.py): packs a bundle directory into the release archive and
 * renders the boot script for it, with the same functions the ec2 compute module uses at synthesis.
 *
 *   ts-node tools/ec2-boot-render.ts '<json: {bundleDirectory, outDirectory, bucket, region, appPort,
 *     logGroupName, al2023Release, appEnvironment}>'
 *
 * Writes OUT/user-data.sh and OUT/<sha256>.tar; prints {"userData", "archive", "key", "sha256"} as JSON.
 */
import * as fs from "fs";
import * as path from "path";
import { writeBundleArchive } from "../constructs/compute/ec2/bundle-archive";
import { EC2_BUNDLE_PREFIX } from "../constructs/compute/ec2/policies";
import { renderUserData } from "../constructs/compute/ec2/user-data";

interface RenderRequest {
  readonly bundleDirectory: string;
  readonly outDirectory: string;
  readonly bucket: string;
  readonly region: string;
  readonly appPort: number;
  readonly logGroupName: string;
  readonly al2023Release: string;
  readonly appEnvironment: Record<string, string>;
}

export function renderForTest(request: RenderRequest): Record<string, string> {
  const { file, sha256 } = writeBundleArchive(request.bundleDirectory, request.outDirectory);
  const key = `${EC2_BUNDLE_PREFIX}${sha256}.tar`;
  const userData = renderUserData({ ...request, bundle: { bucket: request.bucket, key, sha256 } });
  const userDataFile = path.join(request.outDirectory, "user-data.sh");
  fs.writeFileSync(userDataFile, userData);
  return { userData: userDataFile, archive: file, key, sha256 };
}

if (require.main === module) {
  process.stdout.write(JSON.stringify(renderForTest(JSON.parse(process.argv[2]) as RenderRequest)) + "\n");
}
