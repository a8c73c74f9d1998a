export * from "./types";
export { validateConfig, ConfigError, SUPPORTED_REGIONS, CLOUDWATCH_RETENTION_DAYS } from "./validate";
export { projectConfig } from "./environments";
