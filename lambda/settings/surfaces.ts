/**
 * The settings of settings.ts as each surface reads them: CLI flags and environment variables are
 * text; CDK context is text (`-c key=value`) or JSON (cdk.json); construct props are typed values.
 */
import { z } from 'zod';
import { SETTINGS, type Setting, type SettingName, type SettingValues } from './settings';

const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

/** A value as text, read by the setting's kind, then held to the setting's rules. */
export function textSchema<T>(setting: Setting<T>): z.ZodType<T, string> {
  const text = z.string().trim();
  switch (setting.kind) {
    case 'number':
      return text
        .regex(NUMBER_TEXT, { error: 'must be a number' })
        .transform(Number)
        .pipe(setting.value as unknown as z.ZodType<T, number>) as unknown as z.ZodType<T, string>;
    case 'boolean':
      return text
        .pipe(z.enum(['true', 'false'], { error: "must be 'true' or 'false'" }))
        .transform((value) => value === 'true')
        .pipe(setting.value as unknown as z.ZodType<T, boolean>) as unknown as z.ZodType<T, string>;
    case 'list':
      return text
        .transform((value) =>
          value
            .split(',')
            .map((item) => item.trim())
            .filter((item) => item !== ''),
        )
        .pipe(setting.value as unknown as z.ZodType<T, string[]>) as unknown as z.ZodType<T, string>;
    case 'text':
      return z.string().pipe(setting.value as unknown as z.ZodType<T, string>);
  }
}

/** A CDK context value: text from the command line, or the value itself from cdk.json. */
export function contextSchema<T>(setting: Setting<T>): z.ZodType<T> {
  return z.union([textSchema(setting), setting.value]) as z.ZodType<T>;
}

/** The settings that have a CDK context key, by key. */
export const CONTEXT_SETTINGS: ReadonlyMap<string, SettingName> = new Map(
  (Object.entries(SETTINGS) as [SettingName, Setting<unknown>][])
    .filter(([, setting]) => setting.context !== undefined)
    .map(([name, setting]) => [setting.context as string, name]),
);

/** The settings with a CLI flag, by flag name. */
export const FLAG_SETTINGS: ReadonlyMap<string, SettingName> = new Map(
  (Object.entries(SETTINGS) as [SettingName, Setting<unknown>][])
    .filter(([, setting]) => setting.flag !== undefined)
    .map(([name, setting]) => [setting.flag?.name as string, name]),
);

/** The settings each carried by an environment variable of its own (not a THRESHOLDS member). */
export const ENVIRONMENT_SETTINGS: ReadonlyMap<string, SettingName> = new Map(
  (Object.entries(SETTINGS) as [SettingName, Setting<unknown>][])
    .filter(([, setting]) => setting.env !== undefined && !setting.env.includes('.'))
    .map(([name, setting]) => [setting.env as string, name]),
);

/** Settings held to their rules as typed values (construct props); one message per problem. */
export function settingProblems(values: Partial<SettingValues>): string[] {
  return (Object.entries(values) as [SettingName, unknown][]).flatMap(([name, value]) => {
    if (value === undefined) return [];
    const setting = SETTINGS[name] as Setting<unknown>;
    const result = setting.value.safeParse(value);
    return result.success
      ? []
      : [
          `${setting.prop ?? `settings.${name}`} ${result.error.issues[0]?.message} (got ${JSON.stringify(value)})`,
        ];
  });
}

/** The settings as environment variables for the Lambda (THRESHOLDS members as one JSON). */
export function environmentVariables(values: Partial<SettingValues>): Record<string, string> {
  const variables: Record<string, string> = {};
  const thresholds: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values) as [SettingName, unknown][]) {
    const env = SETTINGS[name].env;
    if (value === undefined || env === undefined) continue;
    if (env.startsWith('THRESHOLDS.')) thresholds[env.slice('THRESHOLDS.'.length)] = value;
    else variables[env] = Array.isArray(value) ? value.join(',') : String(value);
  }
  if (Object.keys(thresholds).length > 0) variables.THRESHOLDS = JSON.stringify(thresholds);
  return variables;
}

const code = (text: string | undefined): string => (text ? `\`${text}\`` : '');

function defaultCell(setting: Setting<unknown>): string {
  if (setting.default !== undefined) return code(JSON.stringify(setting.default).replace(/^"|"$/g, ''));
  return setting.defaultText ?? '';
}

const TABLE_START = '<!-- settings:start -->';
const TABLE_END = '<!-- settings:end -->';

/** docs/configuration.md's settings section: every setting on every surface. */
export function configurationTable(): string {
  const rows = (Object.entries(SETTINGS) as [SettingName, Setting<unknown>][]).map(([name, setting]) =>
    [
      code(name),
      setting.flag ? code(`--${setting.flag.name} ${setting.flag.placeholder}`) : '',
      code(setting.context),
      code(setting.prop ?? (setting.context ? `settings.${name}` : undefined)),
      code(setting.env),
      defaultCell(setting),
      setting.allowed,
      setting.help,
    ].join(' | '),
  );
  return [
    TABLE_START,
    '<!-- Generated from lambda/settings/settings.ts by `npm run docs:configuration`: edit that file, not this section. -->',
    '',
    '## Settings on every surface',
    '',
    'Each setting of the auditor, and where it is given: a CLI flag, a CDK context key and the matching',
    'NetworkAuditor construct prop (a setting without a typed prop is `settings: { name: value }`), and the',
    'environment variable the Lambda reads (set by the construct; `THRESHOLDS.x` is member x of the JSON in',
    '`THRESHOLDS`). A blank cell: not settable there. The rules are the same everywhere.',
    '',
    '| Setting | CLI flag | CDK context | Construct prop | Lambda environment | Default | Allowed | What it does |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row} |`),
    TABLE_END,
  ].join('\n');
}

/** `document` with its settings section (between the markers) replaced by the current table. */
export function withConfigurationTable(document: string): string {
  const start = document.indexOf(TABLE_START);
  const end = document.indexOf(TABLE_END);
  if (start < 0 || end < start)
    throw new Error(`docs/configuration.md has no ${TABLE_START} ... ${TABLE_END} section`);
  return `${document.slice(0, start)}${configurationTable()}${document.slice(end + TABLE_END.length)}`;
}
