/**
 * How every function of the auditor is built: Node.js on ARM, JSON logs into the stack's encrypted
 * log group, and the pinned SDK bundled with esbuild (no Docker). The single-account function and the
 * organization-wide steps share it, so they cannot drift apart.
 */
import * as path from 'node:path';
import type { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface AuditorFunctionProps
  extends Pick<
    nodejs.NodejsFunctionProps,
    'reservedConcurrentExecutions' | 'retryAttempts' | 'maxEventAge' | 'onFailure' | 'description'
  > {
  /** The handler module, relative to `lambda/` (e.g. `org/merge-handler.ts`). */
  readonly entry: string;
  readonly role: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
}

/** A role for one function: Lambda may assume it, and it may write to the log group; nothing else yet. */
export function functionRole(
  scope: Construct,
  id: string,
  description: string,
  logGroup: logs.ILogGroup,
): iam.Role {
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description,
  });
  logGroup.grantWrite(role);
  return role;
}

export function auditorFunction(
  scope: Construct,
  id: string,
  props: AuditorFunctionProps,
): nodejs.NodejsFunction {
  const { entry, ...rest } = props;
  return new nodejs.NodejsFunction(scope, id, {
    ...rest,
    entry: path.join(__dirname, '..', 'lambda', entry),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    loggingFormat: lambda.LoggingFormat.JSON,
    applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
    systemLogLevelV2: lambda.SystemLogLevel.WARN,
    bundling: {
      forceDockerBundling: false,
      // The runtime's SDK lags the versions this code is tested with: ship the pinned ones.
      bundleAwsSDK: true,
      minify: true,
      // No source map: `--enable-source-maps` with the 9.6 MB map costs ~25 MB of the function's
      // 256 MB at every cold start (docs/deployment.md). Function names survive minifying instead.
      keepNames: true,
      sourceMap: false,
    },
  });
}
