/**
 * Builds the app the way bin/app.ts does (cdk-nag's AwsSolutions pack, the CloudFormation validator's
 * feature flag), so that a synth in a test fails exactly where `cdk synth` would.
 */
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { NetworkAuditorProps } from '../../lib/network-auditor';
import { NetworkAuditorStack } from '../../lib/network-auditor-stack';

export interface SynthOptions {
  /** Bundle the handler with esbuild (slow-ish); off, CDK uses a placeholder asset. */
  bundle?: boolean;
  /** Run cdk-nag's AwsSolutions pack. @default true */
  nag?: boolean;
}

export function auditorApp(options: SynthOptions = {}): App {
  const app = new App({
    context: {
      '@aws-cdk/core:validateAgainstDefaultRules': true,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

export function synthAuditor(props: NetworkAuditorProps, options: SynthOptions = {}): Template {
  const app = auditorApp(options);
  const stack = new NetworkAuditorStack(app, 'Auditor', { auditor: props });
  return Template.fromStack(stack);
}
