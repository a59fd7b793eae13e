// Reading a rendered overlay (the output of `kubectl kustomize`) and finding things in it; shared by validate.mjs and
// env-for.mjs.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** The rendered file's objects as plain JSON values; a YAML error throws. */
export function loadRendered(file) {
  const objects = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (doc.errors.length > 0) {
      throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    }
    const value = doc.toJSON();
    if (value !== null) objects.push(value);
  }
  return objects;
}

export const idOf = (obj) => `${obj?.kind ?? '?'}/${obj?.metadata?.name ?? '?'}`;

const namespaceOf = (obj) => obj?.metadata?.namespace ?? '';

/** Objects by kind and (namespace, name). */
export class Index {
  constructor(objects) {
    this.objects = objects;
    this.byKey = new Map();
    this.duplicates = [];
    for (const obj of objects) {
      const key = Index.key(obj.kind, namespaceOf(obj), obj.metadata?.name);
      if (this.byKey.has(key)) this.duplicates.push(obj);
      this.byKey.set(key, obj);
    }
  }

  static key(kind, namespace, name) {
    return `${kind}\u0000${namespace}\u0000${name}`;
  }

  /** The object of that kind and name in the namespace of `near`. */
  find(kind, name, near) {
    return this.byKey.get(Index.key(kind, namespaceOf(near), name));
  }

  ofKind(...kinds) {
    return this.objects.filter((o) => kinds.includes(o.kind));
  }
}

/** The pod template of a workload, or undefined for other kinds. */
export function podTemplateOf(obj) {
  switch (obj?.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return obj.spec?.template;
    case 'CronJob':
      return obj.spec?.jobTemplate?.spec?.template;
    default:
      return undefined;
  }
}

export function containersOf(podSpec) {
  return [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])];
}

/** Whether a label selector (a Service's map, or a LabelSelector with matchLabels/matchExpressions) selects `labels`. */
export function selects(selector, labels = {}) {
  if (!selector) return false;
  const isLabelSelector = 'matchLabels' in selector || 'matchExpressions' in selector;
  const matchLabels = isLabelSelector ? selector.matchLabels ?? {} : selector;
  const expressions = isLabelSelector ? selector.matchExpressions ?? [] : [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return false; // selects nothing useful
  for (const [key, value] of Object.entries(matchLabels)) {
    if (labels[key] !== value) return false;
  }
  for (const { key, operator, values = [] } of expressions) {
    const has = Object.hasOwn(labels, key);
    const ok = {
      In: has && values.includes(labels[key]),
      NotIn: !has || !values.includes(labels[key]),
      Exists: has,
      DoesNotExist: !has,
    }[operator];
    if (!ok) return false;
  }
  return true;
}

/** A Secret's or ConfigMap's keys. */
export function keysOf(obj) {
  return new Set([
    ...Object.keys(obj?.data ?? {}),
    ...Object.keys(obj?.stringData ?? {}),
    ...Object.keys(obj?.binaryData ?? {}),
  ]);
}

/** A ConfigMap's or Secret's value as text (Secret data is base64). */
export function valueOf(obj, key) {
  if (obj?.kind === 'Secret') {
    if (obj.stringData && key in obj.stringData) return obj.stringData[key];
    return Buffer.from(obj.data?.[key] ?? '', 'base64').toString('utf8');
  }
  return obj?.data?.[key] ?? obj?.binaryData?.[key];
}
