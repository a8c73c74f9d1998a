/** The configuration's validation as tests read it: the problems it lists, or none. */
import { ConfigError, ProjectConfig, validateConfig } from "../config";

/** Every problem validateConfig names (an empty list when the configuration is valid); any other error throws. */
export function problemsOf(config: ProjectConfig): string[] {
  try {
    validateConfig(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.problems];
  }
  return [];
}
