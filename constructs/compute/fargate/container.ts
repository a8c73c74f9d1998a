/**
 * The app's container definition, as plain data: written into the task definition as JSON text, so the synthesized JSON
 * carries it readable for tests, checkov and the e2e's image run (which takes command, user, environment, port and
 * read-only root from it). Field names and meanings: ECS API reference, ContainerDefinition
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html).
 */
import { BuiltImage } from "../../../shared/image";

/** The container's name (the service's load balancer entry names it). */
export const APP_CONTAINER = "app";

/** The inputs of the app's container. */
export interface AppContainerProps {
  /** `REGISTRY/REPOSITORY` of the image; the digest is appended: the image is named by digest, never by tag. */
  readonly repositoryUri: string;
  /** The built image (digest, user, port, writable paths, health check). */
  readonly image: BuiltImage;
  /** The app's environment variables (names from app/imageshare/contract.json); no secrets. */
  readonly environment: Readonly<Record<string, string>>;
  /** Log group of the awslogs driver, and its region. */
  readonly logGroupName: string;
  readonly region: string;
}

/** Volume name of one writable path (`/tmp` -> `tmp`). */
export function volumeName(containerPath: string): string {
  return containerPath.replace(/^\/+/, "").replace(/[^A-Za-z0-9_-]+/g, "-") || "root";
}

/**
 * The container definition: the image by digest, as its non-root user, every Linux capability dropped (nothing to
 * escalate with: no setuid binary, no shell in the image, and Fargate never runs a container privileged), a read-only
 * root with a task-local volume on each of the image's writable paths only, the image's health check, and awslogs to
 * the encrypted group. Environment variables are sorted by name: ECS returns them so, and the plan stays empty.
 */
export function appContainerDefinition(props: AppContainerProps): Record<string, unknown> {
  const { image } = props;
  return {
    name: APP_CONTAINER,
    image: `${props.repositoryUri}@${image.digest}`,
    essential: true,
    user: image.user,
    readonlyRootFilesystem: true,
    privileged: false,
    linuxParameters: { capabilities: { drop: ["ALL"] }, initProcessEnabled: true },
    portMappings: [{ containerPort: image.port, hostPort: image.port, protocol: "tcp" }],
    environment: Object.keys(props.environment)
      .sort()
      .map((name) => ({ name, value: props.environment[name] })),
    mountPoints: image.writablePaths.map((containerPath) => ({
      sourceVolume: volumeName(containerPath),
      containerPath,
      readOnly: false,
    })),
    healthCheck: {
      command: ["CMD", ...image.healthCheckCommand],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 15,
    },
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": props.logGroupName,
        "awslogs-region": props.region,
        "awslogs-stream-prefix": APP_CONTAINER,
      },
    },
  };
}
