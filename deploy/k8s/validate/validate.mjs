#!/usr/bin/env node
// Validates rendered Kubernetes manifests (the output of `kubectl kustomize`) offline:
//  1. every object against the Kubernetes API types (kubernetes-models: types and required fields; unknown
//     fields are NOT detected, which is why rule 2 checks the fields we rely on positively);
//  2. Tocsin's rules for every workload container: probes on /q/health/{live,ready,started} against the
//     container's `http` port, requests and limits for cpu and memory, runAsNonRoot, readOnlyRootFilesystem with
//     an emptyDir at /tmp, no privilege escalation, all capabilities dropped;
//  3. references: Services, Ingresses, HPAs, PDBs and NetworkPolicies point at objects that exist; ConfigMaps and
//     Secrets that are not rendered must be the documented external ones; no Secret is ever rendered.
//
// Usage: node validate.mjs FILE.yaml [FILE.yaml...]   (`-` reads stdin). Exit 0 when clean, 1 on any finding,
// 2 on a usage or parse error. Each finding is printed as `file: Kind/name: [rule] message`.

import { readFileSync } from "node:fs";
import yaml from "js-yaml";

/** Created out of band (kubectl create ...), documented in deploy/k8s/README.md; never committed. */
const EXTERNAL_SECRETS = new Set(["tocsin-mongodb", "tocsin-redis", "tocsin-gateway-tls", "tocsin-ingest-tls"]);
const EXTERNAL_CONFIGMAPS = new Set(["tocsin-jwt-public-key"]);

const PROBE_PATHS = {
  livenessProbe: ["/q/health/live"],
  readinessProbe: ["/q/health/ready"],
  startupProbe: ["/q/health/started", "/q/health/live"],
};
const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"]);

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE.yaml [FILE.yaml...]");
  process.exit(2);
}

let findings = 0;
for (const file of files) {
  let docs;
  try {
    const text = readFileSync(file === "-" ? 0 : file, "utf8");
    docs = yaml.loadAll(text).filter((d) => d != null);
  } catch (e) {
    console.error(`${file}: cannot read or parse: ${e.message}`);
    process.exit(2);
  }
  const problems = await validateAll(docs);
  for (const p of problems) {
    console.log(`${file}: ${p}`);
  }
  findings += problems.length;
  if (problems.length === 0) {
    const kinds = {};
    for (const d of docs) kinds[d.kind] = (kinds[d.kind] ?? 0) + 1;
    const summary = Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ");
    console.log(`${file}: OK, ${docs.length} objects (${summary})`);
  }
}
process.exit(findings === 0 ? 0 : 1);

async function validateAll(docs) {
  const problems = [];
  const report = (obj, rule, message) =>
    problems.push(`${obj?.kind ?? "?"}/${obj?.metadata?.name ?? "?"}: [${rule}] ${message}`);

  for (const obj of docs) {
    await validateType(obj, report);
  }
  const workloads = docs.filter((d) => WORKLOAD_KINDS.has(d.kind));
  for (const w of workloads) {
    checkWorkload(w, report);
  }
  checkReferences(docs, workloads, report);
  return problems;
}

// ---- 1. API types -------------------------------------------------------------------------------------------

async function validateType(obj, report) {
  if (typeof obj !== "object" || !obj.apiVersion || !obj.kind) {
    report(obj, "schema", "not a Kubernetes object (apiVersion and kind required)");
    return;
  }
  if (!obj.metadata?.name) {
    report(obj, "schema", "metadata.name is required");
  }
  if (obj.kind === "Secret") {
    report(obj, "no-secrets", "Secrets must not be rendered from the repository; reference an external Secret");
  }
  let Model;
  try {
    // core types live at kubernetes-models/v1, the others at kubernetes-models/<group>/<version>
    const module = await import(`kubernetes-models/${obj.apiVersion}/${obj.kind}`);
    Model = module[obj.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) {
    report(obj, "schema", `unknown type ${obj.apiVersion} ${obj.kind}`);
    return;
  }
  try {
    new Model(obj).validate();
  } catch (e) {
    const details = e.errors?.length
      ? e.errors.map((x) => `${x.instancePath || "/"} ${x.message}`).join("; ")
      : e.message;
    report(obj, "schema", details);
  }
}

// ---- 2. workload rules --------------------------------------------------------------------------------------

function podTemplate(w) {
  return w.kind === "CronJob" ? w.spec?.jobTemplate?.spec?.template : w.spec?.template;
}

function checkWorkload(w, report) {
  const pod = podTemplate(w)?.spec;
  if (!pod) {
    report(w, "schema", "no pod template");
    return;
  }
  const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
  const podNonRoot = pod.securityContext?.runAsNonRoot === true;
  const all = [
    ...(pod.initContainers ?? []).map((c) => ({ c, init: true })),
    ...(pod.containers ?? []).map((c) => ({ c, init: false })),
  ];
  if ((pod.containers ?? []).length === 0) {
    report(w, "schema", "no containers");
  }
  for (const { c, init } of all) {
    const where = `container ${c.name}`;
    checkResources(w, c, where, report);
    checkSecurity(w, c, where, podNonRoot, volumes, report);
    if (!init) {
      checkProbes(w, c, where, report);
    }
  }
}

function checkResources(w, c, where, report) {
  for (const section of ["requests", "limits"]) {
    for (const resource of ["cpu", "memory"]) {
      if (c.resources?.[section]?.[resource] == null) {
        report(w, "resources", `${where}: resources.${section}.${resource} is missing`);
      }
    }
  }
}

function checkSecurity(w, c, where, podNonRoot, volumes, report) {
  const sc = c.securityContext ?? {};
  if (!(sc.runAsNonRoot === true || (podNonRoot && sc.runAsNonRoot !== false))) {
    report(w, "run-as-non-root", `${where}: runAsNonRoot must be true (container or pod securityContext)`);
  }
  if (sc.readOnlyRootFilesystem !== true) {
    report(w, "read-only-root", `${where}: securityContext.readOnlyRootFilesystem must be true`);
  }
  if (sc.allowPrivilegeEscalation !== false) {
    report(w, "privilege-escalation", `${where}: securityContext.allowPrivilegeEscalation must be false`);
  }
  if (!(sc.capabilities?.drop ?? []).includes("ALL")) {
    report(w, "capabilities", `${where}: securityContext.capabilities.drop must include ALL`);
  }
  if (sc.privileged === true) {
    report(w, "privileged", `${where}: must not be privileged`);
  }
  const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === "/tmp");
  if (!tmp) {
    report(w, "tmp-volume", `${where}: a read-only root needs a writable /tmp (emptyDir volume mount)`);
  } else if (!volumes.get(tmp.name)?.emptyDir) {
    report(w, "tmp-volume", `${where}: /tmp must be mounted from an emptyDir volume`);
  }
}

function checkProbes(w, c, where, report) {
  const http = (c.ports ?? []).find((p) => p.name === "http");
  if (!http) {
    report(w, "probe-port", `${where}: needs a container port named "http" (the probes and the Service use it)`);
  }
  for (const [probe, paths] of Object.entries(PROBE_PATHS)) {
    const p = c[probe];
    if (!p) {
      report(w, "probe-missing", `${where}: ${probe} is missing`);
      continue;
    }
    if (!p.httpGet) {
      report(w, "probe-path", `${where}: ${probe} must be an httpGet probe`);
      continue;
    }
    if (!paths.includes(p.httpGet.path)) {
      report(w, "probe-path", `${where}: ${probe} path ${p.httpGet.path} is not ${paths.join(" or ")}`);
    }
    const port = p.httpGet.port;
    if (http && !(port === "http" || port === http.containerPort)) {
      report(w, "probe-port", `${where}: ${probe} port ${port} is not the http port (${http.containerPort})`);
    }
  }
}

// ---- 3. references ------------------------------------------------------------------------------------------

function byKind(docs, kind) {
  return new Map(docs.filter((d) => d.kind === kind).map((d) => [d.metadata?.name, d]));
}

function matches(selector, labels) {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

function podLabels(w) {
  return podTemplate(w)?.metadata?.labels ?? {};
}

function checkReferences(docs, workloads, report) {
  const configMaps = byKind(docs, "ConfigMap");
  const services = byKind(docs, "Service");

  const needConfigMap = (obj, name, optional, what) => {
    if (!configMaps.has(name) && !EXTERNAL_CONFIGMAPS.has(name) && !optional) {
      report(obj, "reference", `${what}: ConfigMap ${name} is neither rendered nor a documented external one`);
    }
  };
  const needSecret = (obj, name, what) => {
    if (!EXTERNAL_SECRETS.has(name)) {
      report(obj, "reference", `${what}: Secret ${name} is not a documented external Secret`);
    }
  };

  for (const w of workloads) {
    const pod = podTemplate(w)?.spec ?? {};
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef) needConfigMap(w, from.configMapRef.name, from.configMapRef.optional, c.name);
        if (from.secretRef) needSecret(w, from.secretRef.name, c.name);
      }
      for (const e of c.env ?? []) {
        const ref = e.valueFrom ?? {};
        if (ref.configMapKeyRef) needConfigMap(w, ref.configMapKeyRef.name, ref.configMapKeyRef.optional, e.name);
        if (ref.secretKeyRef) needSecret(w, ref.secretKeyRef.name, e.name);
      }
    }
    for (const v of pod.volumes ?? []) {
      if (v.configMap) needConfigMap(w, v.configMap.name, v.configMap.optional, `volume ${v.name}`);
      if (v.secret) needSecret(w, v.secret.secretName, `volume ${v.name}`);
    }
    const selector = w.spec?.selector?.matchLabels;
    if (selector && !matches(selector, podLabels(w))) {
      report(w, "reference", "spec.selector does not match the pod template labels");
    }
  }

  for (const s of services.values()) {
    const targets = workloads.filter((w) => matches(s.spec?.selector, podLabels(w)));
    if (targets.length === 0) {
      report(s, "reference", "selector matches no workload");
      continue;
    }
    for (const port of s.spec?.ports ?? []) {
      if (typeof port.targetPort !== "string") continue;
      const found = targets.some((w) =>
        (podTemplate(w).spec.containers ?? []).some((c) => (c.ports ?? []).some((p) => p.name === port.targetPort)));
      if (!found) report(s, "reference", `targetPort ${port.targetPort} is not a container port name`);
    }
  }

  for (const ing of byKind(docs, "Ingress").values()) {
    for (const tls of ing.spec?.tls ?? []) {
      if (tls.secretName) needSecret(ing, tls.secretName, "tls");
    }
    for (const rule of ing.spec?.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend?.service;
        const svc = services.get(backend?.name);
        if (!svc) {
          report(ing, "reference", `path ${path.path}: Service ${backend?.name} is not rendered`);
        } else if (!(svc.spec?.ports ?? []).some((p) =>
          (backend.port?.name && p.name === backend.port.name) || p.port === backend.port?.number)) {
          report(ing, "reference", `path ${path.path}: Service ${svc.metadata.name} has no port ${JSON.stringify(backend.port)}`);
        }
        if (path.path?.startsWith("/q")) {
          report(ing, "exposure", `path ${path.path}: /q (health, metrics) must not be routed from outside`);
        }
      }
    }
  }

  for (const hpa of byKind(docs, "HorizontalPodAutoscaler").values()) {
    const ref = hpa.spec?.scaleTargetRef ?? {};
    if (!workloads.some((w) => w.kind === ref.kind && w.metadata?.name === ref.name)) {
      report(hpa, "reference", `scaleTargetRef ${ref.kind}/${ref.name} is not rendered`);
    }
  }
  for (const pdb of byKind(docs, "PodDisruptionBudget").values()) {
    if (!workloads.some((w) => matches(pdb.spec?.selector?.matchLabels, podLabels(w)))) {
      report(pdb, "reference", "selector matches no workload");
    }
  }
  for (const np of byKind(docs, "NetworkPolicy").values()) {
    const selector = np.spec?.podSelector?.matchLabels;
    if (selector && Object.keys(selector).length > 0 && !workloads.some((w) => matches(selector, podLabels(w)))) {
      report(np, "reference", "podSelector matches no workload");
    }
  }
}
