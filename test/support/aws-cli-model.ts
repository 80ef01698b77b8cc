/**
 * Checks a printed AWS CLI command against the service models the AWS CLI itself is built from
 * (botocore's `service-2.json`): the operation exists, every `--flag` is a member of its input,
 * every required member is given, and each value has its member's shape (JSON for structures and
 * lists, numbers for integers, enums). Two sets of models live in the emulator's venv: moto's
 * botocore, and the copy the AWS CLI v1 carries (awscli/botocore), which is what `aws` runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ensureEmulatorInstalled } from '../../scripts/emulator';

interface Shape {
  type: string;
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  enum?: string[];
  min?: number;
  max?: number;
}

interface ServiceModel {
  operations: Record<string, { input?: { shape: string } }>;
  shapes: Record<string, Shape>;
}

const VENV = join(__dirname, '..', '..', '.venv');

/** The `data` directories of both sets of models (installing the venv first if it is not there). */
export function modelDirectories(): { name: string; dir: string }[] {
  ensureEmulatorInstalled();
  const lib = join(VENV, 'lib');
  const python = readdirSync(lib).find((entry) => entry.startsWith('python'));
  if (!python) throw new Error(`no python directory under ${lib}`);
  const site = join(lib, python, 'site-packages');
  const dirs = [
    { name: 'botocore', dir: join(site, 'botocore', 'data') },
    { name: 'awscli', dir: join(site, 'awscli', 'botocore', 'data') },
  ];
  for (const { dir } of dirs) if (!existsSync(dir)) throw new Error(`no service models in ${dir}`);
  return dirs;
}

const cache = new Map<string, ServiceModel>();

function loadModel(dataDir: string, service: string): ServiceModel {
  const key = `${dataDir}|${service}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const serviceDir = join(dataDir, service);
  if (!existsSync(serviceDir)) throw new Error(`unknown service ${service}`);
  const [latest] = readdirSync(serviceDir).sort().reverse();
  if (!latest) throw new Error(`no API version of ${service}`);
  const plain = join(serviceDir, latest, 'service-2.json');
  const text = existsSync(plain)
    ? readFileSync(plain, 'utf8')
    : gunzipSync(readFileSync(`${plain}.gz`)).toString('utf8');
  const model = JSON.parse(text) as ServiceModel;
  cache.set(key, model);
  return model;
}

/** botocore's `xform_name` with `-`: `AuthorizeSecurityGroupIngress` -> `authorize-security-group-ingress`. */
export const cliName = (name: string): string =>
  name
    .replace(/(.)([A-Z][a-z]+)/g, '$1-$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();

/** The words a POSIX shell makes of the command (bash itself splits and unquotes them). */
export function shellWords(command: string): string[] {
  const result = spawnSync('bash', ['-c', 'eval "set -- $1"; printf "%s\\0" "$@"', 'words', command], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`bash could not parse ${command}: ${result.stderr}`);
  return result.stdout.split('\0').slice(0, -1);
}

/**
 * The AWS CLI renames some arguments (`ec2.*.no-egress` is `--ingress`): its own table, read from
 * the installed awscli (customizations/argrename.py), as `--new` -> `--original` for an operation.
 */
function argumentRenames(service: string, operation: string): Map<string, string> {
  const [modelsOfCli] = modelDirectories().filter(({ name }) => name === 'awscli');
  if (!modelsOfCli) return new Map();
  const source = readFileSync(join(modelsOfCli.dir, '..', '..', 'customizations', 'argrename.py'), 'utf8');
  const table = source.slice(
    source.indexOf('ARGUMENT_RENAMES = {'),
    source.indexOf('\n}', source.indexOf('ARGUMENT_RENAMES = {')),
  );
  const renames = new Map<string, string>();
  for (const [, key, renamed] of table.matchAll(/'([^']+)':\s*'([^']+)'/g)) {
    const [entryService, entryOperation, original] = (key ?? '').split('.');
    const applies =
      (entryService === '*' || entryService === service) &&
      (entryOperation === '*' || entryOperation === operation);
    if (applies && original && renamed) renames.set(`--${renamed}`, `--${original}`);
  }
  return renames;
}

/** Options of the CLI itself, not of the operation; the fixes print only `--region`. */
const GLOBAL_OPTIONS = new Set(['--region']);

function checkValue(model: ServiceModel, shapeName: string, value: unknown, where: string): string[] {
  const shape = model.shapes[shapeName];
  if (!shape) return [`${where}: unknown shape ${shapeName}`];
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return [`${where}: expected a structure`];
      const members = shape.members ?? {};
      const given = value as Record<string, unknown>;
      return [
        ...Object.keys(given).flatMap((key) => {
          const member = members[key];
          return member
            ? checkValue(model, member.shape, given[key], `${where}.${key}`)
            : [`${where}: ${key} is not a member of ${shapeName}`];
        }),
        ...(shape.required ?? [])
          .filter((name) => !(name in given))
          .map((name) => `${where}: required ${name} missing`),
      ];
    }
    case 'list': {
      if (!Array.isArray(value)) return [`${where}: expected a list`];
      const member = shape.member?.shape ?? '';
      return value.flatMap((item, index) => checkValue(model, member, item, `${where}[${index}]`));
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return [`${where}: expected an integer`];
      if (shape.min !== undefined && value < shape.min) return [`${where}: below ${shape.min}`];
      if (shape.max !== undefined && value > shape.max) return [`${where}: above ${shape.max}`];
      return [];
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${where}: expected a boolean`];
    case 'string': {
      if (typeof value !== 'string') return [`${where}: expected a string`];
      if (shape.enum && !shape.enum.includes(value))
        return [`${where}: ${value} not in ${shape.enum.join('|')}`];
      return [];
    }
    default:
      return [`${where}: shape type ${shape.type} not handled by this checker`];
  }
}

/** A CLI argument as the CLI reads it for a member of this shape: JSON for complex shapes. */
function argumentValue(model: ServiceModel, shapeName: string, text: string): unknown {
  const type = model.shapes[shapeName]?.type;
  if (type === 'structure' || type === 'list' || type === 'map') return JSON.parse(text);
  if (type === 'integer' || type === 'long') return /^-?\d+$/.test(text) ? Number(text) : text;
  return text;
}

/** Every way the command does not fit the model in `dataDir`; empty when it fits. */
export function commandProblems(command: string, dataDir: string): string[] {
  const [aws, service, operation, ...rest] = shellWords(command);
  if (aws !== 'aws' || !service || !operation) return [`not an aws command: ${command}`];
  const model = loadModel(dataDir, service);
  const operationName = Object.keys(model.operations).find((name) => cliName(name) === operation);
  if (!operationName) return [`${service} has no operation ${operation}`];
  const inputShape = model.operations[operationName]?.input?.shape;
  const input = inputShape ? model.shapes[inputShape] : undefined;
  const members = input?.members ?? {};
  const byFlag = new Map(
    Object.entries(members).map(([name, member]) => [`--${cliName(name)}`, { name, member }]),
  );
  const problems: string[] = [];
  const given: Record<string, unknown> = {};
  const renames = argumentRenames(service, operation);
  for (let index = 0; index < rest.length; index += 2) {
    const printed = rest[index] ?? '';
    const renamedTo = [...renames].find(([, original]) => original === printed)?.[0];
    if (renamedTo) {
      problems.push(`${printed} is called ${renamedTo} by the AWS CLI`);
      continue;
    }
    const flag = renames.get(printed) ?? printed;
    // A boolean member is a bare flag: `--egress` sets it, `--no-egress` clears it.
    const negated = flag.startsWith('--no-') ? byFlag.get(`--${flag.slice('--no-'.length)}`) : undefined;
    const bare = negated ?? byFlag.get(flag);
    if (bare && model.shapes[bare.member.shape]?.type === 'boolean') {
      given[bare.name] = negated === undefined;
      index -= 1;
      continue;
    }
    const text = rest[index + 1];
    if (text === undefined || text.startsWith('--')) {
      problems.push(`${flag} has no value`);
      index -= 1;
      continue;
    }
    if (GLOBAL_OPTIONS.has(flag)) continue;
    const target = byFlag.get(flag);
    if (!target) {
      problems.push(`${service} ${operation} has no option ${flag}`);
      continue;
    }
    try {
      given[target.name] = argumentValue(model, target.member.shape, text);
    } catch {
      problems.push(`${flag}: not JSON: ${text}`);
    }
  }
  if (inputShape) problems.push(...checkValue(model, inputShape, given, `${service} ${operation}`));
  return problems;
}
