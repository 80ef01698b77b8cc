#!/usr/bin/env node
/**
 * The CDK app: the only place that reads context. `npx cdk deploy -c alertEmail=ops@example.com`.
 * cdk-nag's AwsSolutions pack runs at every synth; a finding that is not acknowledged stops it.
 */
import { App, Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { AwsSolutionsChecks } from 'cdk-nag';
import { definedFields } from '../lambda/domain/defined-fields';
import { CONTEXT_KEYS, InvalidContextError, parseContext } from '../lib/context';
import { NetworkAuditorStack } from '../lib/network-auditor-stack';

const app = new App();

function readContext() {
  const raw = Object.fromEntries(Object.keys(CONTEXT_KEYS).map((key) => [key, app.node.tryGetContext(key)]));
  try {
    return parseContext(raw, { region: process.env.CDK_DEFAULT_REGION });
  } catch (error) {
    if (error instanceof InvalidContextError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const context = readContext();

const { settings } = context;

new NetworkAuditorStack(app, 'ApiNetworkAuditor', {
  env: definedFields({ account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }),
  auditor: {
    ...definedFields({
      alertEmail: context.alertEmail,
      existingTopicArn: settings.topicArn,
      regions: settings.regions,
      accessLogGroupPrefix: settings.accessLogGroupPrefix,
      organization: context.organization,
    }),
    schedule: events.Schedule.expression(context.schedule),
    lookback: Duration.minutes(context.lookbackMinutes),
    period: Duration.seconds(context.periodSeconds),
    thresholds: {
      ...(settings.highErrorRatio !== undefined ? { highErrorRatio: settings.highErrorRatio } : {}),
      ...(settings.continuousPeriodShare !== undefined
        ? { continuousPeriodShare: settings.continuousPeriodShare }
        : {}),
      ...(settings.minRequests !== undefined ? { minRequests: settings.minRequests } : {}),
    },
    notify: {
      ...(settings.minSeverity !== undefined ? { minSeverity: settings.minSeverity } : {}),
      ...(settings.reminderIntervalHours !== undefined
        ? { reminderIntervalHours: settings.reminderIntervalHours }
        : {}),
      ...(settings.sendAllClear !== undefined ? { sendAllClear: settings.sendAllClear } : {}),
    },
    // Every other setting given as context (docs/configuration.md) reaches the function as it is.
    settings,
    timeout: Duration.minutes(context.timeoutMinutes),
    logRetention: context.logRetentionDays,
    reserveConcurrency: context.reserveConcurrency,
    stageAlarms: context.stageAlarms && context.alarmThresholds,
    incompleteRunsToAlarm: context.incompleteRunsToAlarm,
    subscriptionProtocols: context.subscriptionProtocols,
  },
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
