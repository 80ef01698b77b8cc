/**
 * One schema for every surface: a setting's rules, default and bounds are the same whether it comes
 * from a CLI flag, CDK context, a construct prop or the Lambda's environment, and the generated
 * docs/configuration.md says what the code does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCliArgs, USAGE } from '../../../lambda/cli/parse-args';
import { parseEnvironment } from '../../../lambda/config/environment';
import { DEFAULTS, SETTINGS } from '../../../lambda/settings/settings';
import {
  configurationTable,
  environmentVariables,
  settingProblems,
  textSchema,
  withConfigurationTable,
} from '../../../lambda/settings/surfaces';
import { InvalidContextError, parseContext } from '../../../lib/context';

const REQUIRED_ENV = {
  AWS_REGION: 'eu-west-1',
  TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:findings',
  STATE_TABLE_NAME: 'state',
};

const cliAccepts = (flag: string, value: string): boolean => parseCliArgs([`--${flag}`, value]).ok;
const contextAccepts = (key: string, value: string): boolean => {
  try {
    parseContext({ [key]: value });
    return true;
  } catch (error) {
    if (error instanceof InvalidContextError) return false;
    throw error;
  }
};
const environmentAccepts = (variable: string, value: string): boolean => {
  try {
    const [name, member] = variable.split('.');
    parseEnvironment({
      ...REQUIRED_ENV,
      [name as string]: member ? JSON.stringify({ [member]: Number(value) }) : value,
    });
    return true;
  } catch {
    return false;
  }
};

describe('the settings schema', () => {
  it.each([
    ['minRequests', '0'],
    ['minRequests', '1'],
    ['minRequests', '2.5'],
    ['lookbackMinutes', '4'],
    ['lookbackMinutes', '1440'],
    ['lookbackMinutes', '1441'],
    ['periodSeconds', '90'],
    ['periodSeconds', '3600'],
    ['highErrorRatio', '0'],
    ['highErrorRatio', '1'],
    ['continuousPeriodShare', '1.01'],
  ] as const)(
    'holds %s = %s to one rule on the CLI, in CDK context and in the Lambda environment',
    (name, value) => {
      // Arrange
      const setting = SETTINGS[name];
      const expected = textSchema(setting).safeParse(value).success;

      // Act
      const accepted = {
        cli: cliAccepts(setting.flag?.name as string, value),
        context: contextAccepts(setting.context as string, value),
        environment: environmentAccepts(setting.env as string, value),
      };

      // Assert
      expect(accepted).toEqual({ cli: expected, context: expected, environment: expected });
    },
  );

  it('gives the same window and thresholds by default on the CLI and in the Lambda', () => {
    // Act
    const cli = parseCliArgs([]);
    const lambda = parseEnvironment(REQUIRED_ENV);

    // Assert
    if (!cli.ok || cli.command.kind !== 'audit') throw new Error('expected an audit');
    const { lookbackMinutes, periodSeconds, thresholds } = cli.command.options;
    expect({ lookbackMinutes, periodSeconds, thresholds }).toEqual({
      lookbackMinutes: lambda.lookbackMinutes,
      periodSeconds: lambda.periodSeconds,
      thresholds: lambda.thresholds,
    });
    expect(lookbackMinutes).toBe(DEFAULTS.lookbackMinutes);
    expect(periodSeconds).toBe(DEFAULTS.periodSeconds);
  });

  it('carries a setting given as CDK context to the Lambda through the construct’s environment', () => {
    // Arrange: allChecks has no typed prop: it travels by name, as any new setting would
    const context = parseContext({ allChecks: 'true', minRequests: '7' });

    // Act
    const environment = parseEnvironment({ ...REQUIRED_ENV, ...environmentVariables(context.settings) });

    // Assert
    expect(environment.settings.allChecks).toBe(true);
    expect(environment.thresholds.minRequests).toBe(7);
  });

  it('keeps the Lambda schedule-triage-only by default (the twin)', () => {
    expect(parseEnvironment(REQUIRED_ENV).settings.allChecks).toBe(false);
  });

  it('names the prop and the rule a construct prop breaks', () => {
    expect(settingProblems({ minRequests: 0, regions: ['Frankfurt'], allChecks: true })).toEqual([
      'thresholds.minRequests must be greater than 0 (got 0)',
      'regions must be a Region name such as us-east-1 (got ["Frankfurt"])',
    ]);
    expect(settingProblems({ minRequests: 1, regions: ['eu-central-1'] })).toEqual([]);
  });

  it('lists every setting that has a flag in --help, with its default', () => {
    const flagged = Object.values(SETTINGS).flatMap((setting) => (setting.flag ? [setting] : []));
    expect(flagged.length).toBeGreaterThan(5);
    for (const setting of flagged) {
      const line = USAGE.split('\n').find((text) => text.startsWith(`  --${setting.flag?.name} `));
      expect(line).toBeDefined();
    }
  });

  it('has the settings section of docs/configuration.md as npm run docs:configuration writes it', () => {
    const written = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'configuration.md'), 'utf8');
    expect(withConfigurationTable(written)).toBe(written);
    expect(written).toContain(configurationTable());
  });
});
