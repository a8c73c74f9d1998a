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
