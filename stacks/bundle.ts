import * as path from "path";
import { ConfigError, EnvironmentConfig } from "../config";
import { verifyOfflineBundle } from "../constructs/beanstalk-bundle";
import { bundleDirectoryInApp } from "../shared/bundle";

const APP_DIRECTORY = path.resolve(__dirname, "..", "app");

/**
 * The source bundle of an environment, checked against its configuration: a missing bundle, or one built for
 * another architecture or upload limit, fails synthesis with a ConfigError that names the two settings.
 */
export function environmentBundle(env: EnvironmentConfig): string {
  const inApp = bundleDirectoryInApp(env.architecture, env.uploadLimitMb);
  const directory = path.join(APP_DIRECTORY, inApp);
  try {
    verifyOfflineBundle(directory, { architecture: env.architecture, uploadLimitMb: env.uploadLimitMb });
  } catch (error) {
    throw new ConfigError([
      `environments.${env.name}.architecture (${env.architecture}) and .uploadLimitMb (${env.uploadLimitMb}) ` +
        `need the bundle app/${inApp}, which \`make bundle\` builds from the configuration: ` +
        (error as Error).message,
    ]);
  }
  return directory;
}
