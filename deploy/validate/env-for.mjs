#!/usr/bin/env node
// Prints, as KEY=VALUE lines, the environment the rendered overlay gives one container: ConfigMap values resolved,
// Secret values as <secret:NAME/KEY> placeholders, field references as <field:PATH>. A test starts the service with
// exactly these variables and puts local connection strings in place of the placeholders.
//
//   node env-for.mjs RENDERED.yaml SERVICE [--job] [--container NAME] [--files DIR]
//     SERVICE      the Deployment's name (leads, ..., gateway); with --job, its migration Job (SERVICE-migrate)
//     --files DIR  also write the files of the ConfigMaps the container mounts (the gate) under DIR, and point the
//                  variables that name them (Gate__File) there
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadRendered, Index, podTemplateOf, keysOf, valueOf } from './lib/rendered.mjs';

function usage(message) {
  console.error(`env-for: ${message}\nusage: node env-for.mjs RENDERED.yaml SERVICE [--job] [--container NAME] [--files DIR]`);
  process.exit(2);
}

const [file, service, ...rest] = process.argv.slice(2);
if (!file || !service || service.startsWith('-')) usage('a rendered file and a service are needed');
const options = { job: false, container: undefined, files: undefined };
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === '--job') options.job = true;
  else if (rest[i] === '--container') options.container = rest[++i];
  else if (rest[i] === '--files') options.files = rest[++i];
  else usage(`unknown option ${rest[i]}`);
}

const index = new Index(loadRendered(file));
const [kind, name] = options.job ? ['Job', `${service}-migrate`] : ['Deployment', service];
const workload = index.ofKind(kind).find((o) => o.metadata.name === name);
if (!workload) usage(`no ${kind} ${name} in the render (have: ${index.ofKind(kind).map((o) => o.metadata.name).join(', ')})`);
const podSpec = podTemplateOf(workload).spec;
const containers = podSpec.containers ?? [];
const container = options.container ? containers.find((c) => c.name === options.container) : containers[0];
if (!container) usage(`${kind} ${name} has no container ${options.container}`);

const source = (kind, name) => index.find(kind, name, workload);
const fail = (message) => {
  console.error(`env-for: ${kind}/${name}: ${message}`);
  process.exit(1);
};

// The order the kubelet builds it in: envFrom sources in turn, then env, a later name replacing an earlier one.
const env = new Map();
for (const from of container.envFrom ?? []) {
  const prefix = from.prefix ?? '';
  if (from.configMapRef) {
    const configMap = source('ConfigMap', from.configMapRef.name);
    if (!configMap) {
      if (from.configMapRef.optional) continue;
      fail(`ConfigMap ${from.configMapRef.name} is not rendered`);
    }
    for (const key of keysOf(configMap)) env.set(prefix + key, valueOf(configMap, key));
  }
  if (from.secretRef) {
    const secret = source('Secret', from.secretRef.name);
    // An operator-created Secret's keys are unknown here; a rendered one's are listed.
    if (!secret) fail(`envFrom Secret ${from.secretRef.name} is not rendered, so its keys are unknown`);
    for (const key of keysOf(secret)) env.set(prefix + key, `<secret:${from.secretRef.name}/${key}>`);
  }
}

// $(NAME) refers to a variable defined before; $$ is a literal $; an unknown reference stays as written.
const expand = (value) =>
  value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, ref) =>
    match === '$$' ? '$' : env.has(ref) ? env.get(ref) : match);

for (const variable of container.env ?? []) {
  const from = variable.valueFrom;
  let value;
  if (!from) value = expand(variable.value ?? '');
  else if (from.configMapKeyRef) {
    const { name: cm, key, optional } = from.configMapKeyRef;
    const configMap = source('ConfigMap', cm);
    if (!configMap || !keysOf(configMap).has(key)) {
      if (optional) continue;
      fail(`env ${variable.name}: ConfigMap ${cm} with key ${key} is not rendered`);
    }
    value = valueOf(configMap, key);
  } else if (from.secretKeyRef) value = `<secret:${from.secretKeyRef.name}/${from.secretKeyRef.key}>`;
  else if (from.fieldRef) value = `<field:${from.fieldRef.fieldPath}>`;
  else if (from.resourceFieldRef) value = `<resource:${from.resourceFieldRef.resource}>`;
  else fail(`env ${variable.name}: unsupported valueFrom ${Object.keys(from).join(', ')}`);
  env.set(variable.name, value);
}

if (options.files) {
  const volumes = new Map((podSpec.volumes ?? []).map((v) => [v.name, v]));
  for (const mount of container.volumeMounts ?? []) {
    const configMapVolume = volumes.get(mount.name)?.configMap;
    if (!configMapVolume) continue;
    const configMap = source('ConfigMap', configMapVolume.name);
    if (!configMap) fail(`volume ${mount.name}: ConfigMap ${configMapVolume.name} is not rendered`);
    const items = configMapVolume.items ?? [...keysOf(configMap)].map((key) => ({ key, path: key }));
    for (const { key, path } of items) {
      const target = join(options.files, mount.mountPath, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, valueOf(configMap, key));
    }
    const prefix = `${mount.mountPath.replace(/\/$/, '')}/`;
    for (const [key, value] of env) {
      if (value.startsWith(prefix)) env.set(key, join(options.files, value));
    }
  }
}

for (const [key, value] of env) {
  if (value.includes('\n')) fail(`${key} has a multi-line value, which KEY=VALUE lines cannot carry`);
  console.log(`${key}=${value}`);
}
