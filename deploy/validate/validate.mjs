#!/usr/bin/env node
// Validates a rendered overlay (a file of `kubectl kustomize` output): every object against its schema, then the
// references between objects that the API server would accept but that break at run time (a missing Secret key, a
// Service selecting no pods). Prints one line per object and exits 1 on any failure.
//
//   node validate.mjs RENDERED.yaml        (validate.sh renders the overlay and calls this)
import { fileURLToPath } from 'node:url';
import { dirname, join, posix } from 'node:path';
import { loadRendered, Index, idOf, podTemplateOf, containersOf, selects, keysOf, valueOf } from './lib/rendered.mjs';
import { loadCrds, schemaErrors } from './lib/schemas.mjs';

const here = dirname(fileURLToPath(import.meta.url));

// Objects that a render cannot contain, created in the cluster by something else.
const OPERATOR_CREATED = [
  // The RabbitMQ Cluster Operator writes <cluster>-default-user for every RabbitmqCluster (v2.11.0 on has
  // connection_string).
  (index) => index.ofKind('RabbitmqCluster').map((cluster) => ({
    kind: 'Secret',
    name: `${cluster.metadata.name}-default-user`,
    namespace: cluster.metadata.namespace,
    keys: ['username', 'password', 'host', 'port', 'connection_string', 'default_user.conf', 'provider', 'type'],
    by: `RabbitmqCluster/${cluster.metadata.name}`,
  })),
];
// Secrets an operator of the cluster provides by hand or with cert-manager; named here so a typo still fails.
const EXTERNAL_SECRETS = new Set(['funnel-gateway-tls']);

function checkReferences(index) {
  const problems = new Map(); // object -> [message]
  const fail = (obj, message) => {
    if (!problems.has(obj)) problems.set(obj, []);
    problems.get(obj).push(message);
  };

  const external = new Map();
  for (const source of OPERATOR_CREATED) {
    for (const o of source(index)) external.set(`${o.kind}/${o.namespace ?? ''}/${o.name}`, o);
  }
  // A Secret or ConfigMap from the render or from an operator; reports when missing or without the key.
  const checkSource = (from, kind, name, key, optional, what) => {
    if (optional) return;
    const rendered = index.find(kind, name, from);
    const created = external.get(`${kind}/${from.metadata?.namespace ?? ''}/${name}`);
    if (!rendered && !created) {
      if (kind === 'Secret' && EXTERNAL_SECRETS.has(name)) return;
      fail(from, `${what}: ${kind} ${name} is neither rendered nor created by an operator`);
      return;
    }
    const keys = rendered ? keysOf(rendered) : new Set(created.keys);
    if (key !== undefined && !keys.has(key)) {
      fail(from, `${what}: ${kind} ${name} has no key ${key} (has ${[...keys].join(', ') || 'none'})`);
    }
  };

  for (const dup of index.duplicates) fail(dup, 'rendered twice');

  const workloads = index.objects.filter((o) => podTemplateOf(o));
  const deployments = index.ofKind('Deployment');
  const podLabels = (workload) => podTemplateOf(workload)?.metadata?.labels ?? {};

  // Workloads: what their pods read, mount and probe.
  for (const workload of workloads) {
    const podSpec = podTemplateOf(workload).spec ?? {};
    const volumes = new Map((podSpec.volumes ?? []).map((v) => [v.name, v]));
    for (const volume of volumes.values()) {
      if (volume.configMap) {
        for (const item of volume.configMap.items ?? [{}]) {
          checkSource(workload, 'ConfigMap', volume.configMap.name, item.key, volume.configMap.optional, `volume ${volume.name}`);
        }
      }
      if (volume.secret) {
        for (const item of volume.secret.items ?? [{}]) {
          checkSource(workload, 'Secret', volume.secret.secretName, item.key, volume.secret.optional, `volume ${volume.name}`);
        }
      }
    }
    for (const container of containersOf(podSpec)) {
      const where = `container ${container.name}`;
      const image = container.image ?? '';
      const tag = image.includes('@') ? 'digest' : image.slice(image.lastIndexOf('/') + 1).split(':')[1];
      if (!tag || tag === 'latest') fail(workload, `${where}: image ${image} has no fixed tag`);
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef) checkSource(workload, 'ConfigMap', source.configMapRef.name, undefined, source.configMapRef.optional, `${where} envFrom`);
        if (source.secretRef) checkSource(workload, 'Secret', source.secretRef.name, undefined, source.secretRef.optional, `${where} envFrom`);
      }
      for (const env of container.env ?? []) {
        const ref = env.valueFrom ?? {};
        if (ref.secretKeyRef) checkSource(workload, 'Secret', ref.secretKeyRef.name, ref.secretKeyRef.key, ref.secretKeyRef.optional, `${where} env ${env.name}`);
        if (ref.configMapKeyRef) checkSource(workload, 'ConfigMap', ref.configMapKeyRef.name, ref.configMapKeyRef.key, ref.configMapKeyRef.optional, `${where} env ${env.name}`);
      }
      const mounts = container.volumeMounts ?? [];
      for (const mount of mounts) {
        if (!volumes.has(mount.name)) fail(workload, `${where}: volumeMount ${mount.mountPath} names no volume ${mount.name}`);
      }
      // An env value that is a path into a mounted ConfigMap (Gate__File) must name a file the ConfigMap has.
      for (const env of container.env ?? []) {
        if (typeof env.value !== 'string' || !env.value.startsWith('/')) continue;
        const mount = mounts.find((m) => env.value.startsWith(`${m.mountPath.replace(/\/$/, '')}/`));
        const configMap = mount && volumes.get(mount.name)?.configMap;
        if (!configMap) continue;
        const file = posix.relative(mount.mountPath, env.value);
        const items = configMap.items;
        const key = items ? items.find((i) => i.path === file)?.key : file;
        const source = index.find('ConfigMap', configMap.name, workload);
        if (!key || !source || !keysOf(source).has(key)) {
          fail(workload, `${where} env ${env.name}: ${env.value} is not a file of ConfigMap ${configMap.name}`);
        } else if (env.name === 'Gate__File') {
          const problem = gateProblem(valueOf(source, key));
          if (problem) fail(source, `${key}: ${problem}`);
        }
      }
      const ports = new Set((container.ports ?? []).map((p) => p.name).filter(Boolean));
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        const port = container[probe]?.httpGet?.port ?? container[probe]?.tcpSocket?.port;
        if (typeof port === 'string' && !ports.has(port)) fail(workload, `${where} ${probe}: no container port named ${port}`);
      }
    }
  }

  for (const deployment of deployments) {
    if (!selects(deployment.spec?.selector, podLabels(deployment))) {
      fail(deployment, 'spec.selector does not select its own pod template');
    }
  }

  // Services route to Deployment pods only: a Job's pod has no readiness probe and would be counted ready.
  for (const service of index.ofKind('Service')) {
    const selector = service.spec?.selector;
    if (!selector) continue; // a Service without a selector has its endpoints managed by hand
    const targets = workloads.filter((w) => selects(selector, podLabels(w)));
    const served = targets.filter((w) => w.kind !== 'Job' && w.kind !== 'CronJob');
    if (served.length === 0) fail(service, `selector ${JSON.stringify(selector)} matches no Deployment's pods`);
    for (const job of targets.filter((w) => !served.includes(w))) fail(service, `selector also matches the pods of ${idOf(job)}`);
    for (const port of service.spec?.ports ?? []) {
      const target = port.targetPort ?? port.port;
      for (const w of served) {
        const has = containersOf(podTemplateOf(w).spec).some((c) =>
          (c.ports ?? []).some((p) => (typeof target === 'string' ? p.name === target : p.containerPort === target)));
        if (!has) fail(service, `port ${port.name ?? port.port}: ${idOf(w)} has no container port ${target}`);
      }
    }
  }

  for (const pdb of index.ofKind('PodDisruptionBudget')) {
    if (!deployments.some((d) => selects(pdb.spec?.selector, podLabels(d)))) {
      fail(pdb, `selector ${JSON.stringify(pdb.spec?.selector)} matches no Deployment's pods`);
    }
  }

  // Autoscalers: a target that exists, CPU requests where CPU is a metric, one autoscaler per target, and no replica
  // count in the target that every apply would reset.
  const scaled = new Map();
  const cpuRequests = (workload) => containersOf(podTemplateOf(workload)?.spec).every((c) => c.resources?.requests?.cpu);
  const checkTarget = (scaler, ref, usesCpu) => {
    const kind = ref?.kind ?? 'Deployment';
    const target = index.find(kind, ref?.name, scaler);
    if (!target) {
      fail(scaler, `scaleTargetRef ${kind}/${ref?.name} is not rendered`);
      return;
    }
    if (scaled.has(target)) fail(scaler, `${idOf(target)} is also scaled by ${idOf(scaled.get(target))}`);
    scaled.set(target, scaler);
    if (target.spec?.replicas !== undefined) fail(target, `spec.replicas is set although ${idOf(scaler)} owns the count`);
    if (usesCpu && !cpuRequests(target)) fail(scaler, `scales on CPU but ${idOf(target)} has a container without a CPU request`);
  };
  for (const hpa of index.ofKind('HorizontalPodAutoscaler')) {
    checkTarget(hpa, hpa.spec?.scaleTargetRef, (hpa.spec?.metrics ?? []).some((m) => m.resource?.name === 'cpu'));
  }
  for (const so of index.ofKind('ScaledObject')) {
    const triggers = so.spec?.triggers ?? [];
    checkTarget(so, so.spec?.scaleTargetRef, triggers.some((t) => t.type === 'cpu'));
    for (const trigger of triggers) {
      const auth = trigger.authenticationRef;
      if (auth) {
        const kind = auth.kind ?? 'TriggerAuthentication';
        if (!index.find(kind, auth.name, so)) fail(so, `trigger ${trigger.type}: ${kind} ${auth.name} is not rendered`);
      }
      if (trigger.type === 'rabbitmq') {
        if (!trigger.metadata?.queueName) fail(so, 'rabbitmq trigger without queueName');
        if (!auth && !trigger.metadata?.host && !trigger.metadata?.hostFromEnv) fail(so, 'rabbitmq trigger without a host');
      }
    }
  }
  for (const ta of index.ofKind('TriggerAuthentication')) {
    for (const ref of ta.spec?.secretTargetRef ?? []) {
      checkSource(ta, 'Secret', ref.name, ref.key, false, `secretTargetRef ${ref.parameter}`);
    }
  }

  for (const ingress of index.ofKind('Ingress')) {
    const backends = [ingress.spec?.defaultBackend, ...(ingress.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))];
    for (const backend of backends.filter((b) => b?.service)) {
      const service = index.find('Service', backend.service.name, ingress);
      const port = backend.service.port ?? {};
      if (!service) fail(ingress, `backend Service ${backend.service.name} is not rendered`);
      else if (!(service.spec?.ports ?? []).some((p) => (port.name ? p.name === port.name : p.port === port.number))) {
        fail(ingress, `backend Service ${backend.service.name} has no port ${port.name ?? port.number}`);
      }
    }
    for (const tls of ingress.spec?.tls ?? []) {
      if (tls.secretName) checkSource(ingress, 'Secret', tls.secretName, undefined, false, 'tls');
    }
  }

  // Migrations: each Deployment that does not migrate at start has a migration Job on the same image, and each such
  // Job belongs to a Deployment.
  const envOf = (workload, name) =>
    containersOf(podTemplateOf(workload)?.spec).flatMap((c) => c.env ?? []).find((e) => e.name === name)?.value;
  const imagesOf = (workload) => containersOf(podTemplateOf(workload)?.spec).map((c) => c.image).sort().join(' ');
  const migrationJobs = index.ofKind('Job').filter((j) => envOf(j, 'Database__MigrateOnly') === 'true');
  for (const deployment of deployments.filter((d) => envOf(d, 'Database__Migrate') === 'false')) {
    const app = podLabels(deployment)['app.kubernetes.io/name'];
    const jobs = migrationJobs.filter((j) => podLabels(j)['app.kubernetes.io/name'] === app);
    if (jobs.length !== 1) fail(deployment, `Database__Migrate=false but ${jobs.length} migration Jobs for ${app}`);
    for (const job of jobs) {
      if (imagesOf(job) !== imagesOf(deployment)) fail(job, `image ${imagesOf(job)} differs from ${idOf(deployment)}'s ${imagesOf(deployment)}`);
    }
  }
  for (const job of migrationJobs) {
    const app = podLabels(job)['app.kubernetes.io/name'];
    if (!deployments.some((d) => podLabels(d)['app.kubernetes.io/name'] === app)) fail(job, `no Deployment for ${app}`);
  }
  return problems;
}

/** What is wrong with a gate file, as the services read it (section Gate: Version, Tasks with a Name each). */
function gateProblem(text) {
  let gate;
  try {
    gate = JSON.parse(text).Gate;
  } catch (error) {
    return `not JSON: ${error.message}`;
  }
  if (typeof gate?.Version !== 'string' || gate.Version === '') return 'no Gate.Version';
  if (!Array.isArray(gate.Tasks) || gate.Tasks.length === 0) return 'no Gate.Tasks';
  const names = gate.Tasks.map((t) => t?.Name);
  if (names.some((n) => typeof n !== 'string' || n === '')) return 'a task without a Name';
  if (new Set(names).size !== names.length) return 'a task named twice';
  return undefined;
}

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node validate.mjs RENDERED.yaml');
    process.exit(2);
  }
  const objects = loadRendered(file);
  if (objects.length === 0) {
    console.error(`${file}: no objects`);
    process.exit(1);
  }
  const crds = loadCrds(join(here, 'crds'));
  const index = new Index(objects);
  const references = checkReferences(index);
  let failed = 0;
  for (const obj of objects) {
    const errors = [...(await schemaErrors(obj, crds)), ...(references.get(obj) ?? [])];
    if (errors.length === 0) {
      console.log(`ok ${idOf(obj)}`);
    } else {
      failed++;
      console.log(`FAIL ${idOf(obj)}`);
      for (const error of errors) console.log(`    ${error}`);
    }
  }
  console.log(`validate: ${objects.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

await main();
