/** Validates a report against the shipped JSON Schema; every test that produces a report calls it. */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import schema from '../../schema/report.schema.json';

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);

export function reportSchemaErrors(report: unknown): string[] {
  if (validate(report)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`.trim());
}

export function expectValidReport(report: unknown): void {
  expect(reportSchemaErrors(report)).toEqual([]);
}
