import { Construct } from "constructs";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { jsonText } from "../../policies/json-text";
import { EncryptionKey } from "../../storage/encryption-key";
import { repositoryName } from "./policies";

export interface ImageRepositoryProps {
  /** Prefix of the environment's names: the repository is named after it. */
  readonly namePrefix: string;
  /** Account that owns the key (a token is fine). */
  readonly accountId: string;
  /** Administrator of the repository's key. @default the account root */
  readonly keyAdministratorRoleArn?: string;
  /** Images kept; older ones expire (the running one is among the newest unless this many were pushed since). */
  readonly keepImages?: number;
}

/** Images kept by default: a few weeks of pushes, and every revision the circuit breaker may roll back to. */
export const DEFAULT_KEEP_IMAGES = 20;

/**
 * The environment's ECR repository: encrypted with its own customer managed key (ECR user guide, "Encryption at
 * rest": KMS, the key set at creation), immutable tags (a tag names one image forever; the task definition names
 * the digest anyway), scan on push (basic scanning) and a lifecycle rule that expires all but the newest images.
 * It lives in the registry stack, deployed before the app stack, so that the image exists before the service.
 */
export class ImageRepository extends Construct {
  readonly repository: EcrRepository;
  readonly key: EncryptionKey;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    this.key = new EncryptionKey(this, "key", {
      description: `${props.namePrefix}: ECR image repository`,
      alias: `alias/${props.namePrefix}-ecr`,
      accountId: props.accountId,
      administratorRoleArn: props.keyAdministratorRoleArn,
    });
    this.repository = new EcrRepository(this, "repository", {
      name: repositoryName(props.namePrefix),
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: this.key.keyArn }],
      // A repository holding images refuses deletion: `terraform destroy` keeps them (delete images first).
      forceDelete: false,
    });
    const keep = props.keepImages ?? DEFAULT_KEEP_IMAGES;
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: this.repository.name,
      // ECR user guide, "Lifecycle policy parameters": countType imageCountMoreThan over any tag status.
      policy: jsonText({
        rules: [
          {
            rulePriority: 1,
            description: `Keep the ${keep} newest images`,
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
            action: { type: "expire" },
          },
        ],
      }),
    });
  }
}
