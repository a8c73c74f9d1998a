/**
 * What the app and the infrastructure agree on, written once in app/imageshare/contract.json: the app reads that
 * file at runtime (it ships in the source bundle), the stacks and constructs import it here.
 */
import contract from "../app/imageshare/contract.json";

/** Environment variable names the app reads, by meaning (app/imageshare/config.py). */
export const APP_ENVIRONMENT_VARIABLES: Readonly<typeof contract.environmentVariables> =
  contract.environmentVariables;

/** Key prefixes of the app's objects in the images bucket (app/imageshare/keys.py). */
export const APP_KEY_PREFIXES: readonly string[] = Object.values(contract.keyPrefixes);

/** Liveness path of the app: no dependency is called, so a storage blip never fails the health check. */
export const APP_HEALTH_CHECK_PATH: string = contract.healthCheckPath;

/** Readiness path of the app: it lists the bucket, so it fails while storage does (never the ALB's health check). */
export const APP_READINESS_PATH: string = contract.readinessPath;

/** The path the upload form posts to (the upload metric filters select its request lines). */
export const APP_UPLOAD_PATH: string = contract.uploadPath;

/** The request line the app logs once per request: its message and the field names of its route and status. */
export const APP_REQUEST_LOG: Readonly<{ message: string; routeField: string; statusField: string }> =
  contract.requestLog;

/** CloudWatch metric names the stack creates or alarms on. */
export const APP_METRICS: Readonly<{ uploadFailures: string; uploadsRefused: string; instancesOk: string }> =
  contract.metrics;

/** Runbook ids of the alarms on the app's own request log. */
export const APP_ALARMS: Readonly<{ uploadFailures: string }> = contract.alarms;

/** Bounds and default of the upload limit in MiB (the app refuses a MAX_UPLOAD_MB outside them). */
export const APP_UPLOAD_LIMIT_MB: Readonly<typeof contract.uploadLimitMb> = contract.uploadLimitMb;

/** The IAM actions of every S3 call the app makes on the images bucket (app/imageshare/storage.py). */
export const APP_IMAGES_BUCKET_ACTIONS: readonly string[] = [
  ...new Set(
    Object.entries(contract.imagesBucketOperations)
      .filter(([operation]) => !operation.startsWith("$"))
      .map(([, action]) => action),
  ),
];
