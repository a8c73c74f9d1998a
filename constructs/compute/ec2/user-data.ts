/**
 * The instances' boot script (EC2 user data) and the systemd unit it writes, rendered from the templates beside this
 * file: boot.sh and imageshare.service. Each `@@NAME@@` is replaced at synthesis; values may be Terraform tokens
 * (the data key's ARN), which is why the templates never use `${` or `%{` (Terraform's template syntax).
 */
import * as fs from "fs";
import * as path from "path";
import { Fn, Token } from "cdktf";

/** Where the app lives on the instance (fixed: the unit, the boot script and the tests agree on them). */
export const INSTANCE_LAYOUT = {
  appUser: "imageshare",
  appHome: "/opt/imageshare",
  appLog: "/var/log/imageshare/app.log",
  envFile: "/etc/imageshare/app.env",
  unitName: "imageshare.service",
  socketName: "imageshare.socket",
} as const;

/** The release bundle the boot script fetches and checks. */
export interface BundleLocation {
  /** Artifacts bucket name. */
  readonly bucket: string;
  /** Object key of the bundle (a tar archive). */
  readonly key: string;
  /** Hex SHA-256 of the archive, computed at synthesis. */
  readonly sha256: string;
}

export interface UserDataProps {
  /** AL2023 release dnf installs from (`dnf --releasever`), e.g. `2023.9.20251208`. */
  readonly al2023Release: string;
  /** Region of the artifacts bucket and the log group. */
  readonly region: string;
  readonly bundle: BundleLocation;
  /** Port gunicorn listens on (the target group's port). */
  readonly appPort: number;
  /** Log group the CloudWatch agent writes the app log to. */
  readonly logGroupName: string;
  /** The app's environment (name -> value); values may be tokens. */
  readonly appEnvironment: Record<string, string>;
}

const TEMPLATE_DIR = __dirname;

/** Fills every `@@NAME@@` of a template; fails on a placeholder without a value or a value never used. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  const used = new Set<string>();
  const filled = template.replace(/@@([A-Z0-9_]+)@@/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`template placeholder @@${name}@@ has no value`);
    used.add(name);
    return values[name];
  });
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`template values never used: ${unused.join(", ")}`);
  return filled;
}

/**
 * A value the boot script puts between single quotes or into a heredoc line: no quote, no newline. A Terraform
 * token (known only at apply time) becomes a stand-in, recorded in `deferred`, that userDataBase64 replaces.
 */
function checkedValue(
  deferred: Record<string, string>,
  name: string,
  value: string,
  pattern = /^[^'\n\r]*$/,
): string {
  if (Token.isUnresolved(value)) {
    deferred[name] = value;
    return applyTimeValue(name);
  }
  if (!pattern.test(value) || value.includes("${") || value.includes("%{")) {
    throw new Error(`user data: ${name} ${JSON.stringify(value)} cannot be written into the boot script`);
  }
  return value;
}

function readTemplate(name: string): string {
  return fs.readFileSync(path.join(TEMPLATE_DIR, name), "utf8");
}

/** The systemd service of the app. */
export function renderUnit(): string {
  return fillTemplate(readTemplate("imageshare.service"), {
    APP_USER: INSTANCE_LAYOUT.appUser,
    APP_HOME: INSTANCE_LAYOUT.appHome,
    APP_LOG: INSTANCE_LAYOUT.appLog,
    ENV_FILE: INSTANCE_LAYOUT.envFile,
    SOCKET_NAME: INSTANCE_LAYOUT.socketName,
  }).trimEnd();
}

/** The systemd socket the service is activated on: the app port, on every address. */
export function renderSocket(appPort: number): string {
  if (!Number.isInteger(appPort) || appPort < 1 || appPort > 65535) {
    throw new Error(`user data: app port ${appPort} is not a TCP port`);
  }
  return fillTemplate(readTemplate("imageshare.socket"), { APP_PORT: String(appPort) }).trimEnd();
}

/**
 * The CloudWatch agent's configuration: tail the app log into the log group, one stream per instance, as the
 * agent's own `cwagent` user (CloudWatch agent guide, "Manually create or edit the CloudWatch agent configuration
 * file": `agent.run_as_user`, `logs.logs_collected.files.collect_list`). No metrics section: detailed monitoring is
 * the launch template's, and agent metrics would be custom metrics at a price.
 */
export function cloudWatchAgentConfig(logGroupName: string): string {
  const config = {
    agent: { run_as_user: "cwagent" },
    logs: {
      logs_collected: {
        files: {
          collect_list: [
            {
              file_path: INSTANCE_LAYOUT.appLog,
              log_group_name: logGroupName,
              log_stream_name: "{instance_id}",
              timezone: "UTC",
            },
          ],
        },
      },
    },
  };
  return JSON.stringify(config, null, 2);
}

/** logrotate: copytruncate, because systemd holds the file open for the app (`StandardOutput=append:`). */
export function logrotateConfig(): string {
  return [
    `${INSTANCE_LAYOUT.appLog} {`,
    "    daily",
    "    maxsize 50M",
    "    rotate 3",
    "    compress",
    "    missingok",
    "    notifempty",
    "    copytruncate",
    "}",
  ].join("\n");
}

/** The boot script, and the apply-time values its stand-ins wait for (name -> Terraform token). */
export interface BootScript {
  readonly script: string;
  readonly applyTimeValues: Record<string, string>;
}

/** The boot script, every value in place (tokens as stand-ins: see BootScript). */
export function renderBootScript(props: UserDataProps): BootScript {
  if (!/^[0-9a-f]{64}$/.test(props.bundle.sha256)) {
    throw new Error(`user data: bundle sha256 must be 64 hex digits, got ${props.bundle.sha256}`);
  }
  if (!/^2023\.\d+\.\d{8}$/.test(props.al2023Release)) {
    throw new Error(`user data: al2023Release must look like 2023.9.20251208, got ${props.al2023Release}`);
  }
  const deferred: Record<string, string> = {};
  const value = (name: string, v: string, pattern?: RegExp) => checkedValue(deferred, name, v, pattern);
  const env = Object.entries(props.appEnvironment).map(([name, v]) => {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`user data: bad environment variable name ${name}`);
    return `${name}=${value(name, v, /^[^'"\\\n\r$`]*$/)}`;
  });
  const script = fillTemplate(readTemplate("boot.sh"), {
    AL2023_RELEASE: props.al2023Release,
    REGION: value("REGION", props.region),
    BUNDLE_BUCKET: value("BUNDLE_BUCKET", props.bundle.bucket),
    BUNDLE_KEY: value("BUNDLE_KEY", props.bundle.key),
    BUNDLE_SHA256: props.bundle.sha256,
    APP_USER: INSTANCE_LAYOUT.appUser,
    APP_HOME: INSTANCE_LAYOUT.appHome,
    APP_LOG: INSTANCE_LAYOUT.appLog,
    ENV_FILE: INSTANCE_LAYOUT.envFile,
    UNIT_NAME: INSTANCE_LAYOUT.unitName,
    SOCKET_NAME: INSTANCE_LAYOUT.socketName,
    APP_ENV: env.join("\n"),
    LOGROTATE: logrotateConfig(),
    CWAGENT_CONFIG: cloudWatchAgentConfig(value("LOG_GROUP", props.logGroupName)),
    UNIT_FILE: renderUnit(),
    SOCKET_FILE: renderSocket(props.appPort),
  });
  return { script, applyTimeValues: deferred };
}

/** The boot script as text (apply-time values as their stand-ins). */
export function renderUserData(props: UserDataProps): string {
  return renderBootScript(props).script;
}

/** The launch template's `user_data` for these settings (userDataBase64 of renderBootScript). */
export function launchTemplateUserData(props: UserDataProps): string {
  const { script, applyTimeValues } = renderBootScript(props);
  return userDataBase64(script, applyTimeValues);
}

/** A stand-in written into the boot script for a value Terraform knows only at apply time (see userDataBase64). */
export function applyTimeValue(name: string): string {
  return `@@APPLY_TIME_${name}@@`;
}

/**
 * The launch template's `user_data`: the rendered script as a raw string (cdktf refuses literal double quotes in a
 * function argument; Fn.rawString escapes them), each applyTimeValue stand-in replaced by its Terraform value with
 * `replace()`, then base64-encoded as EC2 expects.
 */
export function userDataBase64(script: string, applyTimeValues: Record<string, string>): string {
  let expression = Fn.rawString(script);
  for (const [name, value] of Object.entries(applyTimeValues)) {
    const marker = applyTimeValue(name);
    if (!script.includes(marker)) throw new Error(`user data: ${marker} is not in the script`);
    expression = Fn.replace(expression, marker, value);
  }
  return Fn.base64encode(expression);
}
