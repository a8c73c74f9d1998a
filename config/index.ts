export * from "./types";
export {
  validateConfig,
  ConfigError,
  SUPPORTED_REGIONS,
  PLATFORM_BRANCHES,
  environmentWarnings,
  CLOUDWATCH_RETENTION_DAYS,
} from "./validate";
export { projectConfig } from "./environments";
