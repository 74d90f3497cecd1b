/**
 * Runs the real AWS CLI against a local endpoint, when `aws` is on PATH: dummy credentials in the
 * environment, no profile or config of the machine, `--endpoint-url` on loopback.
 */
import { execFile, spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

/** Whether the AWS CLI can be run here. */
export const HAVE_AWS_CLI = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function awsCli(endpoint: string, args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: os.tmpdir(),
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local-secret',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: path.join(os.tmpdir(), 'scalelab-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(os.tmpdir(), 'scalelab-no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  return new Promise((resolve) => {
    execFile(
      'aws',
      [...args, '--endpoint-url', endpoint, '--region', 'us-east-1', '--output', 'json'],
      { env, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
