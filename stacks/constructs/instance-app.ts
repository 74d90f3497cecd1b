import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssetHashType, DockerImage, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { projectRoot } from '../../node-app/project-root.js';

/** Which of the two instance programs a server runs. */
export type InstanceAppName = 'seed' | 'serve';

/**
 * AL2023's `nodejs` package is Node 18 (end of life, below the project's >= 20.10); the
 * namespaced `nodejs22` package installs /usr/bin/node-22, which always means Node 22.
 */
export const INSTANCE_NODE_PACKAGE = 'nodejs22';
export const INSTANCE_NODE_BIN = '/usr/bin/node-22';
/** The unprivileged system user the app runs as. */
export const INSTANCE_APP_USER = 'scalelab';
const INSTALL_DIR = '/opt/scalelab';

export interface InstanceAppUserDataOptions {
  app: InstanceAppName;
  port: number;
  /**
   * The launch lifecycle hook this instance waits in (an Auto Scaling group's): the user data
   * completes it on exit, CONTINUE once the app answers, ABANDON on any failure.
   */
  launchAction?: { groupName: string; hookName: string };
}

/**
 * Where cloud-init keeps the id it read from the instance metadata (IMDSv2) before it ran the user
 * data: the instance id without another metadata call.
 */
export const CLOUD_INIT_INSTANCE_ID_FILE = '/var/lib/cloud/data/instance-id';

/**
 * Bundles `stacks/instance/main.ts` (the `app` command only) and the stress worker with esbuild
 * into two files next to each other: the stress manager finds its worker beside itself, and no
 * node_modules travel to the instance. The same bytes hash to the same asset.
 */
function bundleInstanceApp(outputDir: string): boolean {
  const root = projectRoot();
  buildSync({
    entryPoints: {
      main: join(root, 'stacks', 'instance', 'main.ts'),
      'stress-worker': join(root, 'node-app', 'stress', 'stress-worker.ts'),
    },
    outdir: outputDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // Bundled CommonJS dependencies may still call require() for built-ins.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  writeFileSync(join(outputDir, 'package.json'), `${JSON.stringify({ type: 'module', private: true })}\n`);
  return true;
}

/** A systemd unit: the app as an unprivileged user, restarted if it dies, with a read-only system. */
function systemdUnit(app: InstanceAppName, port: number): string {
  return [
    '[Unit]',
    `Description=scalelab ${app} app`,
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    `User=${INSTANCE_APP_USER}`,
    `Group=${INSTANCE_APP_USER}`,
    `ExecStart=${INSTANCE_NODE_BIN} ${INSTALL_DIR}/app/main.js app ${app} --host 0.0.0.0 --port ${port} --imds`,
    'Restart=always',
    'RestartSec=2',
    'NoNewPrivileges=true',
    'ProtectSystem=strict',
    'ProtectHome=true',
    'PrivateTmp=true',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
  ].join('\n');
}

/**
 * The instance program as a CDK asset (S3) and the user data that installs it: Node.js from the
 * distribution, the asset read with the instance role (no secret, no git clone), a systemd service.
 */
export class InstanceApp extends Construct {
  readonly asset: s3assets.Asset;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.asset = new s3assets.Asset(this, 'Bundle', {
      // Only a mount point for Docker bundling; the hash is of the bundle itself.
      path: join(projectRoot(), 'node-app'),
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        local: { tryBundle: bundleInstanceApp },
        // Reached only if local bundling fails; esbuild is a devDependency, so `npm ci` first.
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22'),
        command: [
          'sh',
          '-c',
          'echo "run npm ci: the instance app is bundled with the local esbuild" >&2; exit 1',
        ],
      },
    });
  }

  /**
   * Lets `grantee` download this bundle and nothing else: GetObject on its one object (the
   * asset's own grantRead would open the whole bootstrap bucket, List* and GetBucket* included).
   */
  grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject'],
      resourceArns: [this.asset.bucket.arnForObjects(this.asset.s3ObjectKey)],
    });
  }

  /**
   * The user data that installs and starts `options.app` on Amazon Linux 2023. It exits 0 only
   * once the app answers on its port, so `addSignalOnExitCommand` (and the launch action, when
   * `options.launchAction` is set) reports a real start.
   */
  userData(options: InstanceAppUserDataOptions): ec2.UserData {
    const userData = ec2.UserData.forLinux();
    const service = `scalelab-${options.app}`;
    if (options.launchAction) this.completeLaunchActionOnExit(userData, options.launchAction);
    // aws-cfn-bootstrap brings cfn-signal, for instances whose creation waits on a signal.
    userData.addCommands(
      'set -euo pipefail',
      `dnf install -y ${INSTANCE_NODE_PACKAGE} unzip aws-cfn-bootstrap`,
    );
    const zip = userData.addS3DownloadCommand({
      bucket: this.asset.bucket,
      bucketKey: this.asset.s3ObjectKey,
      localFile: `${INSTALL_DIR}/app.zip`,
      region: Stack.of(this).region,
    });
    userData.addCommands(
      `id -u ${INSTANCE_APP_USER} >/dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin ${INSTANCE_APP_USER}`,
      `rm -rf ${INSTALL_DIR}/app && unzip -q -o ${zip} -d ${INSTALL_DIR}/app && rm -f ${zip}`,
      // Owned by root, readable by all: the service user can run the app but not change it.
      `chown -R root:root ${INSTALL_DIR} && chmod -R a+rX,go-w ${INSTALL_DIR}`,
      `cat > /etc/systemd/system/${service}.service <<'UNIT'\n${systemdUnit(options.app, options.port)}\nUNIT`,
      'systemctl daemon-reload',
      `systemctl enable --now ${service}.service`,
      // Signal success only once the app answers (a minute at most).
      `for attempt in $(seq 1 60); do curl -sf -o /dev/null http://127.0.0.1:${options.port}/ && exit 0; sleep 1; done; exit 1`,
    );
    return userData;
  }

  /**
   * The instance itself completes its launch action: only it can reach its app on localhost
   * before it is in the target group. The exit trap runs on every end of the script, so a failed
   * install or an app that never answers abandons the launch at once instead of at the hook's
   * timeout. A failed call is left to that timeout (whose default result is ABANDON).
   */
  private completeLaunchActionOnExit(
    userData: ec2.UserData,
    action: NonNullable<InstanceAppUserDataOptions['launchAction']>,
  ): void {
    userData.addOnExitCommands(
      'if [ "$exitCode" -eq 0 ]; then launchResult=CONTINUE; else launchResult=ABANDON; fi',
      [
        'aws autoscaling complete-lifecycle-action',
        `--region ${Stack.of(this).region}`,
        `--auto-scaling-group-name ${action.groupName}`,
        `--lifecycle-hook-name ${action.hookName}`,
        `--instance-id "$(cat ${CLOUD_INIT_INSTANCE_ID_FILE})"`,
        '--lifecycle-action-result "$launchResult" || true',
      ].join(' '),
    );
  }
}
