import * as path from "path";
import { ConfigError, EnvironmentConfig } from "../config";
import { verifyOfflineBundle } from "../constructs/compute/beanstalk/bundle";
import { bundleDirectoryInApp } from "../shared/bundle";
import { computeArchitecture } from "../shared/compute-config";

const APP_DIRECTORY = path.resolve(__dirname, "..", "app");

/**
 * The source bundle of an environment, checked against its configuration: a missing bundle, or one built for
 * another architecture or upload limit, fails synthesis with a ConfigError that names the two settings.
 */
export function environmentBundle(env: EnvironmentConfig): string {
  const architecture = computeArchitecture(env.compute);
  const inApp = bundleDirectoryInApp(architecture, env.uploadLimitMb);
  const directory = path.join(APP_DIRECTORY, inApp);
  try {
    verifyOfflineBundle(directory, { architecture, uploadLimitMb: env.uploadLimitMb });
  } catch (error) {
    throw new ConfigError([
      `environments.${env.name}.compute.architecture (${architecture}) and environments.${env.name}.uploadLimitMb ` +
        `(${env.uploadLimitMb}) ` +
        `need the bundle app/${inApp}, which \`make bundle\` builds from the configuration: ` +
        (error as Error).message,
    ]);
  }
  return directory;
}
