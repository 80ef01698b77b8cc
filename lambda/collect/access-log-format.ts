/**
 * What a stage's access-log format lets the audit read from a line, without the SDK: whether it
 * holds error text at all, and which API and stage wrote a line (a log group may be shared by
 * several APIs and stages). API Gateway writes a line as the format with each `$context` variable
 * replaced by its value, so the format itself is the parser.
 */

/** The variables whose value is an error's text (HTTP API access logging variables). */
export const ERROR_TEXT_VARIABLES = [
  '$context.integrationErrorMessage',
  '$context.integration.error',
  '$context.error.message',
  '$context.error.messageString',
] as const;

export type AttributionField = 'apiId' | 'stage';

const FIELD_VARIABLES: Record<AttributionField, string> = {
  apiId: '$context.apiId',
  stage: '$context.stage',
};

/** `$context.a.b` variables, as API Gateway names them (letters, digits, dots between names). */
const VARIABLE = /\$context\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*/g;

const variablesIn = (format: string): string[] => [...format.matchAll(VARIABLE)].map((match) => match[0]);

export const errorTextVariablesIn = (format: string): string[] => {
  const variables = variablesIn(format);
  return ERROR_TEXT_VARIABLES.filter((variable) => variables.includes(variable));
};

export interface AccessLogFormat {
  /** The error-text variables the format holds; none: its lines cannot say why an integration failed. */
  errorVariables: string[];
  /** What a line can be attributed by. */
  attributedBy: AttributionField[];
  /** The API id and stage a line names, for the fields the format holds; null when the line does not follow the format. */
  attribute(line: string): Partial<Record<AttributionField, string>> | null;
}

type Path = (string | number)[];

/** Where in a JSON format each variable stands alone as a value. */
function jsonPaths(value: unknown, wanted: readonly string[], path: Path = []): Map<string, Path> {
  const found = new Map<string, Path>();
  if (typeof value === 'string') {
    if (wanted.includes(value)) found.set(value, path);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, Array.isArray(value) ? Number(key) : key];
      for (const [variable, at] of jsonPaths(child, wanted, childPath)) found.set(variable, at);
    }
  }
  return found;
}

const at = (value: unknown, path: Path): unknown =>
  path.reduce<unknown>(
    (current, key) =>
      current && typeof current === 'object' ? (current as Record<string | number, unknown>)[key] : undefined,
    value,
  );

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Any other format (CLF, CSV, XML): the literal text between variables, each variable a lazy capture. */
function textPattern(format: string): { pattern: RegExp; order: string[] } {
  const order: string[] = [];
  let source = '';
  let last = 0;
  for (const match of format.matchAll(VARIABLE)) {
    source += `${escapeRegExp(format.slice(last, match.index))}([\\s\\S]*?)`;
    order.push(match[0]);
    last = match.index + match[0].length;
  }
  source += escapeRegExp(format.slice(last));
  return { pattern: new RegExp(`^${source}$`), order };
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function accessLogFormat(format: string): AccessLogFormat {
  const variables = variablesIn(format);
  const attributedBy = (Object.keys(FIELD_VARIABLES) as AttributionField[]).filter((field) =>
    variables.includes(FIELD_VARIABLES[field]),
  );
  const errorVariables = errorTextVariablesIn(format);
  const json = parseJson(format);
  if (json !== undefined && typeof json === 'object') {
    const paths = jsonPaths(
      json,
      attributedBy.map((field) => FIELD_VARIABLES[field]),
    );
    return {
      errorVariables,
      attributedBy,
      attribute: (line) => {
        const parsed = parseJson(line);
        if (parsed === undefined || typeof parsed !== 'object') return null;
        const fields: Partial<Record<AttributionField, string>> = {};
        for (const field of attributedBy) {
          const path = paths.get(FIELD_VARIABLES[field]);
          const value = path ? at(parsed, path) : undefined;
          if (typeof value !== 'string') return null;
          fields[field] = value;
        }
        return fields;
      },
    };
  }
  const { pattern, order } = textPattern(format);
  return {
    errorVariables,
    attributedBy,
    attribute: (line) => {
      const match = pattern.exec(line.trimEnd());
      if (!match) return null;
      const fields: Partial<Record<AttributionField, string>> = {};
      for (const field of attributedBy) {
        const index = order.indexOf(FIELD_VARIABLES[field]);
        const value = match[index + 1];
        if (value === undefined) return null;
        fields[field] = value;
      }
      return fields;
    },
  };
}
