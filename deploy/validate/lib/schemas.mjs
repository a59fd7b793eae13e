// Schema validation of one rendered object: built-in kinds with kubernetes-models, KEDA kinds with
// @kubernetes-models/keda, custom resources against the openAPIV3Schema of a CRD kept in ../crds. A kind none of them
// knows is an error, never a pass.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';

// Which package has the models of which API group; the core group ("v1") is kubernetes-models'.
const MODEL_PACKAGES = { 'keda.sh': '@kubernetes-models/keda' };
const DEFAULT_MODEL_PACKAGE = 'kubernetes-models';

const splitApiVersion = (apiVersion) =>
  apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];

/** The kubernetes-models class for apiVersion/kind, or undefined. */
async function modelFor(apiVersion, kind) {
  const [group, version] = splitApiVersion(apiVersion);
  // Names become module paths: refuse anything that is not a plain group, version or kind.
  if (!/^[a-z0-9.-]*$/.test(group) || !/^v[0-9a-z]+$/.test(version) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    return undefined;
  }
  const pkg = MODEL_PACKAGES[group] ?? DEFAULT_MODEL_PACKAGE;
  const path = [pkg, group, version, kind].filter(Boolean).join('/');
  try {
    const module = await import(path);
    const model = module[kind];
    return model?.apiVersion === apiVersion && model?.kind === kind ? model : undefined;
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
    throw error;
  }
}

/**
 * Fields the schema does not know. The models' validators accept unknown fields (the API server, with kubectl's
 * default strict field validation, rejects them), so the object is validated a second time through proxies that record
 * which properties the validator looks at: a key it never looked at, on an object where it looked at some, is unknown.
 * Objects it looked into not at all have a free-form schema and are skipped.
 */
function unknownFields(validate, value) {
  const records = new Map(); // target -> { path, read: Set, enumerated }
  const proxies = new Map();
  const wrap = (target, path) => {
    if (target === null || typeof target !== 'object') return target;
    if (proxies.has(target)) return proxies.get(target);
    const record = { path, read: new Set(), enumerated: false };
    records.set(target, record);
    const childPath = (key) => (Array.isArray(target) ? `${path}[${key}]` : path ? `${path}.${key}` : key);
    const proxy = new Proxy(target, {
      get(t, key, receiver) {
        const child = Reflect.get(t, key, receiver);
        if (typeof key !== 'string') return child;
        record.read.add(key);
        return Object.hasOwn(t, key) ? wrap(child, childPath(key)) : child;
      },
      has(t, key) {
        if (typeof key === 'string') record.read.add(key);
        return Reflect.has(t, key);
      },
      ownKeys(t) {
        record.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  try {
    validate(wrap(structuredClone(value), ''));
  } catch {
    // Errors are reported by the plain validation; only the reads matter here.
  }
  const unknown = [];
  for (const [target, record] of records) {
    if (Array.isArray(target) || record.enumerated || record.read.size === 0) continue;
    for (const key of Object.keys(target)) {
      if (!record.read.has(key)) unknown.push(record.path ? `${record.path}.${key}` : key);
    }
  }
  return unknown;
}

function modelErrors(Model, obj) {
  const errors = [];
  try {
    new Model(obj).validate();
  } catch (error) {
    errors.push(error.message);
  }
  // The model's own validate, called on a proxy of the object instead of a copy, so its reads can be seen.
  const validate = (data) => Model.prototype.validate.call(data);
  for (const field of unknownFields(validate, obj)) errors.push(`unknown field ${field}`);
  return errors;
}

// --- Custom resources --------------------------------------------------------------------------------------------

const INT32 = [-(2 ** 31), 2 ** 31 - 1];
const INT64 = [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function newAjv() {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, validateFormats: true });
  ajv.addFormat('int32', { type: 'number', validate: (n) => Number.isInteger(n) && n >= INT32[0] && n <= INT32[1] });
  ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isInteger(n) && n >= INT64[0] && n <= INT64[1] });
  ajv.addFormat('date-time', RFC3339);
  // Kubernetes' extensions: annotations for ajv, except the list types, whose uniqueness the API server enforces.
  for (const keyword of [
    'x-kubernetes-int-or-string',
    'x-kubernetes-map-type',
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-embedded-resource',
    'x-kubernetes-list-map-keys',
    // CEL rules cannot be run here (the one in the RabbitMQ CRD forbids shell substitutions in envConfig).
    'x-kubernetes-validations',
  ]) {
    ajv.addKeyword({ keyword });
  }
  ajv.addKeyword({
    keyword: 'x-kubernetes-list-type',
    type: 'array',
    schemaType: 'string',
    validate: function listType(kind, items, parentSchema) {
      const keyOf =
        kind === 'set' ? (item) => JSON.stringify(item)
        : kind === 'map' ? (item) => JSON.stringify((parentSchema['x-kubernetes-list-map-keys'] ?? []).map((k) => item?.[k]))
        : undefined;
      if (!keyOf) return true; // atomic
      const seen = new Set();
      for (const item of items) {
        const key = keyOf(item);
        if (seen.has(key)) {
          listType.errors = [{ keyword: 'x-kubernetes-list-type', message: `duplicate entry ${key} in a ${kind} list`, params: {} }];
          return false;
        }
        seen.add(key);
      }
      return true;
    },
  });
  return ajv;
}

/**
 * The schema made strict the way the API server is with strict field validation: an object schema with properties,
 * without additionalProperties and without x-kubernetes-preserve-unknown-fields, accepts no other fields.
 */
function strict(schema) {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    // Property names and defaults are data, not schemas.
    out[key] = key === 'properties'
      ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, strict(sub)]))
      : key === 'default' || key === 'enum' || key === 'required' ? value
      : strict(value);
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

/** Validators for every served version of every CRD in `dir`, by "group/version/Kind". */
export function loadCrds(dir) {
  const ajv = newAjv();
  const validators = new Map();
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const crd = parse(readFileSync(join(dir, file), 'utf8'));
    if (crd?.kind !== 'CustomResourceDefinition') throw new Error(`${file}: not a CustomResourceDefinition`);
    for (const version of crd.spec.versions) {
      if (!version.served) continue;
      const schema = strict(version.schema.openAPIV3Schema);
      validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, {
        crd: crd.metadata.name,
        validate: ajv.compile(schema),
      });
    }
  }
  return validators;
}

function crdErrors(entry, obj) {
  const errors = [];
  if (!entry.validate(obj)) {
    for (const e of entry.validate.errors) {
      const where = `data${e.instancePath}`;
      errors.push(e.keyword === 'additionalProperties'
        ? `${where} unknown field ${e.params.additionalProperty}`
        : `${where} ${e.message}`);
    }
  }
  // The CRD leaves metadata to the API server; check it as the ObjectMeta it is.
  errors.push(...modelErrors(ObjectMeta, obj.metadata ?? {}).map((m) => `metadata: ${m}`));
  return errors;
}

/**
 * kustomize wraps long base64 values of a Secret's data over several lines; Go's base64 decoder (and so the API
 * server) skips line breaks, the models' "byte" format does not.
 */
function asTheApiServerReadsIt(obj) {
  if (obj.kind !== 'Secret' || obj.apiVersion !== 'v1' || typeof obj.data !== 'object' || obj.data === null) return obj;
  const data = Object.fromEntries(Object.entries(obj.data).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/[\r\n]/g, '') : v]));
  return { ...obj, data };
}

/** Schema errors of one object (empty when valid); an unknown apiVersion/kind is one. */
export async function schemaErrors(obj, crds) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return ['not an object'];
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['no apiVersion or kind'];
  if (typeof obj.metadata?.name !== 'string' || obj.metadata.name === '') return ['no metadata.name'];
  const [group, version] = splitApiVersion(apiVersion);
  const crd = crds.get(`${group}/${version}/${kind}`);
  if (crd) return crdErrors(crd, obj);
  const Model = await modelFor(apiVersion, kind);
  if (Model) return modelErrors(Model, asTheApiServerReadsIt(obj));
  return [`unknown kind ${apiVersion} ${kind}: no model and no CRD in deploy/validate/crds to check it against`];
}
