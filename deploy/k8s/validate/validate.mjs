#!/usr/bin/env node
// Validates rendered Kubernetes manifests (the output of `kubectl kustomize`) offline:
//  1. every object against the Kubernetes API types (kubernetes-models: types and required fields; unknown
//     fields are NOT detected, which is why rule 2 checks the fields we rely on positively);
//  2. Tocsin's rules for every workload container: requests and limits for cpu and memory, runAsNonRoot,
//     readOnlyRootFilesystem with an emptyDir at /tmp, no privilege escalation, all capabilities dropped; probes:
//     the Tocsin services on /q/health/{live,ready,started} against the container's `http` port, the data stores
//     (MongoDB, Redis; see DATA_STORES) startup, liveness and readiness probes of any kind plus a volume claim
//     template for their data, Jobs none;
//  3. references: Services, Ingresses, HTTPRoutes, HPAs, PDBs, ServiceMonitors, StatefulSets' serviceName and
//     NetworkPolicies (the selected pods and the peers in `from`) point at objects that exist; ConfigMaps and Secrets
//     that are not rendered must be the documented external ones; no Secret is ever rendered;
//  4. the kinds beyond core Kubernetes: ServiceMonitor and PrometheusRule (monitoring.coreos.com, schemas from
//     @kubernetes-models/prometheus-operator), HTTPRoute (gateway.networking.k8s.io, @kubernetes-models/gateway-api);
//     HPAs are autoscaling/v2 and own their target's replica count; rules have a severity and a summary and their
//     PromQL parses (@prometheus-io/lezer-promql, Prometheus' own grammar); every image has a pinned tag; the
//     gateway's Ingress keeps its access log off (the query-string token).
//
// Usage: node validate.mjs FILE.yaml [FILE.yaml...]   (`-` reads stdin). Exit 0 when clean, 1 on any finding,
// 2 on a usage or parse error. Each finding is printed as `file: Kind/name: [rule] message`.

import { readFileSync } from "node:fs";
import yaml from "js-yaml";
import { parser as promqlParser } from "@prometheus-io/lezer-promql";

/** Created out of band (kubectl create ...), documented in deploy/k8s/README.md; never committed. */
const EXTERNAL_SECRETS = new Set([
  "tocsin-mongodb", "tocsin-mongodb-keyfile", "tocsin-redis", "tocsin-relay", "tocsin-gateway-tls", "tocsin-ingest-tls",
]);
const EXTERNAL_CONFIGMAPS = new Set(["tocsin-jwt-public-key"]);

const PROBE_PATHS = {
  livenessProbe: ["/q/health/live"],
  readinessProbe: ["/q/health/ready"],
  startupProbe: ["/q/health/started", "/q/health/live"],
};
const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"]);
/** Run-to-completion workloads: no probes (they are not services), the other rules apply. */
const BATCH_KINDS = new Set(["Job", "CronJob"]);
/**
 * Third-party data stores, by their pods' app.kubernetes.io/name: they have no /q/health endpoints, so they need
 * startup, liveness and readiness probes of any kind (exec, tcpSocket, httpGet, grpc) and, being stateful, a
 * StatefulSet with a volume claim template for their data.
 */
const DATA_STORES = new Set(["mongodb", "redis"]);
const PROBES = ["startupProbe", "livenessProbe", "readinessProbe"];
/** Schema packages of the custom resources the manifests use, by API group. */
const CRD_PACKAGES = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
};
/** The Tocsin services: scraped on this path, through the Service port named http. */
const SERVICES = new Set(["alert-gateway", "alert-ingest", "notification-relay"]);
const METRICS_PATH = "/q/metrics";
/** A Prometheus duration (`for:`). */
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

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
  checkImages(workloads, report);
  checkAutoscaling(docs, workloads, report);
  checkMonitoring(docs, report);
  checkRoutes(docs, report);
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
    // core types live at kubernetes-models/v1, the others at kubernetes-models/<group>/<version>; the CRDs Tocsin
    // uses come from their own packages
    const group = obj.apiVersion.includes("/") ? obj.apiVersion.split("/")[0] : "";
    const pkg = CRD_PACKAGES[group] ?? "kubernetes-models";
    const module = await import(`${pkg}/${obj.apiVersion}/${obj.kind}`);
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
  const dataStore = DATA_STORES.has(podLabels(w)["app.kubernetes.io/name"]);
  for (const { c, init } of all) {
    const where = `container ${c.name}`;
    checkResources(w, c, where, report);
    checkSecurity(w, c, where, podNonRoot, volumes, report);
    if (init || BATCH_KINDS.has(w.kind)) {
      continue;
    }
    if (dataStore) {
      checkDataStoreProbes(w, c, where, report);
    } else {
      checkProbes(w, c, where, report);
    }
  }
  if (dataStore && !(w.kind === "StatefulSet" && (w.spec?.volumeClaimTemplates ?? []).length > 0)) {
    report(w, "data-volume", "a data store must be a StatefulSet with a volumeClaimTemplate for its data");
  }
}

function checkDataStoreProbes(w, c, where, report) {
  for (const probe of PROBES) {
    const p = c[probe];
    if (!p) {
      report(w, "probe-missing", `${where}: ${probe} is missing`);
    } else if (!(p.exec || p.tcpSocket || p.httpGet || p.grpc)) {
      report(w, "probe-missing", `${where}: ${probe} has no handler (exec, tcpSocket, httpGet or grpc)`);
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

/** A full LabelSelector (matchLabels and matchExpressions); an empty one selects everything. */
function selects(selector, labels) {
  const l = labels ?? {};
  const byLabels = Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => l[k] === v);
  const byExpressions = (selector?.matchExpressions ?? []).every((e) => {
    switch (e.operator) {
      case "In": return (e.values ?? []).includes(l[e.key]);
      case "NotIn": return !(e.values ?? []).includes(l[e.key]);
      case "Exists": return e.key in l;
      case "DoesNotExist": return !(e.key in l);
      default: return false;
    }
  });
  return byLabels && byExpressions;
}

function isEmptySelector(selector) {
  return Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;
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
    const selector = np.spec?.podSelector;
    if (!isEmptySelector(selector) && !workloads.some((w) => selects(selector, podLabels(w)))) {
      report(np, "reference", "podSelector matches no workload");
    }
    // peers in this namespace (a podSelector without namespaceSelector) must be pods that exist, and every value
    // an `In` expression names must be some workload's label: a typo would silently cut a service off
    for (const rule of np.spec?.ingress ?? []) {
      for (const peer of rule.from ?? []) {
        if (!peer.podSelector || peer.namespaceSelector || isEmptySelector(peer.podSelector)) continue;
        if (!workloads.some((w) => selects(peer.podSelector, podLabels(w)))) {
          report(np, "netpol-peer", `ingress from ${JSON.stringify(peer.podSelector)} matches no workload`);
        }
        for (const e of peer.podSelector.matchExpressions ?? []) {
          if (e.operator !== "In") continue;
          for (const value of e.values ?? []) {
            if (!workloads.some((w) => podLabels(w)[e.key] === value)) {
              report(np, "netpol-peer", `ingress from ${e.key}=${value}: no workload has that label`);
            }
          }
        }
      }
    }
  }

  for (const sts of workloads.filter((w) => w.kind === "StatefulSet")) {
    if (!services.has(sts.spec?.serviceName)) {
      report(sts, "reference", `serviceName ${sts.spec?.serviceName} is not a rendered Service`);
    }
  }
}

// ---- 4. images, autoscaling, monitoring, routes -------------------------------------------------------------

/** Every image pinned: an explicit tag that is not `latest`, or a digest. */
function checkImages(workloads, report) {
  for (const w of workloads) {
    const pod = podTemplate(w)?.spec ?? {};
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      const image = c.image ?? "";
      if (image.includes("@sha256:")) continue;
      const lastSegment = image.split("/").pop();
      const tag = lastSegment.includes(":") ? lastSegment.split(":").pop() : "";
      if (!tag || tag === "latest") {
        report(w, "image-tag", `container ${c.name}: image ${image} must name a version tag (not latest) or a digest`);
      }
    }
  }
}

function checkAutoscaling(docs, workloads, report) {
  for (const hpa of byKind(docs, "HorizontalPodAutoscaler").values()) {
    if (hpa.apiVersion !== "autoscaling/v2") {
      report(hpa, "hpa", `apiVersion ${hpa.apiVersion}: use autoscaling/v2`);
    }
    const spec = hpa.spec ?? {};
    if ((spec.minReplicas ?? 1) > spec.maxReplicas) {
      report(hpa, "hpa", `minReplicas ${spec.minReplicas} is above maxReplicas ${spec.maxReplicas}`);
    }
    if ((spec.metrics ?? []).length === 0) {
      report(hpa, "hpa", "no metrics (the v2 default is CPU only; say which)");
    }
    for (const m of spec.metrics ?? []) {
      const source = m[m.type?.[0]?.toLowerCase() + m.type?.slice(1)];
      if (!source) report(hpa, "hpa", `metric of type ${m.type} has no ${m.type} block`);
    }
    // an applied replica count fights the HPA: every `kubectl apply` would reset it
    const ref = spec.scaleTargetRef ?? {};
    const target = workloads.find((w) => w.kind === ref.kind && w.metadata?.name === ref.name);
    if (target && target.spec?.replicas != null) {
      report(target, "hpa-replicas", `spec.replicas is set (${target.spec.replicas}) but HPA ${hpa.metadata.name} owns the count`);
    }
  }
}

/** A PromQL expression parses with Prometheus' grammar (syntax only: names and types are not resolved). */
function promqlErrors(expr) {
  const errors = [];
  const tree = promqlParser.parse(expr);
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) {
        errors.push(`at ${node.from}: "${expr.slice(Math.max(0, node.from - 15), node.to + 15).replace(/\s+/g, " ")}"`);
      }
    },
  });
  return errors;
}


function checkMonitoring(docs, report) {
  const services = [...byKind(docs, "Service").values()];
  for (const sm of byKind(docs, "ServiceMonitor").values()) {
    const targets = services.filter((s) => selects(sm.spec?.selector, s.metadata?.labels));
    if (isEmptySelector(sm.spec?.selector) || targets.length === 0) {
      report(sm, "servicemonitor", "selector matches no rendered Service");
      continue;
    }
    for (const ep of sm.spec?.endpoints ?? []) {
      if (!targets.every((s) => (s.spec?.ports ?? []).some((p) => p.name === ep.port))) {
        report(sm, "servicemonitor", `endpoint port ${ep.port} is not a named port of every selected Service`);
      }
      const tocsin = targets.some((s) => SERVICES.has(s.metadata?.labels?.["app.kubernetes.io/name"]));
      if (tocsin && ep.path !== METRICS_PATH) {
        report(sm, "servicemonitor", `endpoint path ${ep.path} is not ${METRICS_PATH}`);
      }
    }
    if ((sm.spec?.endpoints ?? []).length === 0) report(sm, "servicemonitor", "no endpoints");
  }
  for (const pr of byKind(docs, "PrometheusRule").values()) {
    const names = new Set();
    for (const group of pr.spec?.groups ?? []) {
      if (names.has(group.name)) report(pr, "prometheusrule", `duplicate group ${group.name}`);
      names.add(group.name);
      for (const rule of group.rules ?? []) {
        const id = `${group.name}/${rule.alert ?? rule.record ?? "?"}`;
        if ((rule.alert == null) === (rule.record == null)) {
          report(pr, "prometheusrule", `${id}: a rule is either an alert or a record`);
        }
        if (rule.record != null && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(rule.record)) {
          report(pr, "prometheusrule", `${id}: invalid record name`);
        }
        if (rule.alert != null) {
          if (!["critical", "warning", "info"].includes(rule.labels?.severity)) {
            report(pr, "prometheusrule", `${id}: labels.severity must be critical, warning or info`);
          }
          if (!rule.annotations?.summary) report(pr, "prometheusrule", `${id}: annotations.summary is missing`);
        }
        if (rule.for != null && !DURATION.test(String(rule.for))) {
          report(pr, "prometheusrule", `${id}: for ${rule.for} is not a duration`);
        }
        const expr = String(rule.expr ?? "").trim();
        if (!expr) {
          report(pr, "promql", `${id}: empty expr`);
          continue;
        }
        for (const e of promqlErrors(expr)) report(pr, "promql", `${id}: syntax error ${e}`);
      }
    }
  }
  // the Grafana dashboard ConfigMap: valid JSON, every panel query parses
  for (const cm of byKind(docs, "ConfigMap").values()) {
    if (cm.metadata?.labels?.grafana_dashboard !== "1") continue;
    for (const [key, text] of Object.entries(cm.data ?? {})) {
      let dashboard;
      try {
        dashboard = JSON.parse(text);
      } catch (e) {
        report(cm, "dashboard", `${key}: not JSON: ${e.message}`);
        continue;
      }
      const panels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
      if (!dashboard.title || panels.length === 0) report(cm, "dashboard", `${key}: needs a title and panels`);
      for (const p of panels) {
        for (const t of p.targets ?? []) {
          // Grafana's own variables are not PromQL: substitute a plain value before parsing
          const expr = String(t.expr ?? "").replace(/\$\{?[a-zA-Z_]+\}?/g, "x");
          for (const e of promqlErrors(expr)) report(cm, "promql", `${key}: panel "${p.title}" ${t.refId}: syntax error ${e}`);
        }
      }
    }
  }
}

function checkRoutes(docs, report) {
  const services = byKind(docs, "Service");
  for (const route of byKind(docs, "HTTPRoute").values()) {
    if ((route.spec?.parentRefs ?? []).length === 0) report(route, "reference", "no parentRefs (which Gateway?)");
    for (const rule of route.spec?.rules ?? []) {
      for (const m of rule.matches ?? []) {
        if (m.path?.value?.startsWith("/q")) {
          report(route, "exposure", `path ${m.path.value}: /q (health, metrics) must not be routed from outside`);
        }
      }
      for (const ref of rule.backendRefs ?? []) {
        if ((ref.kind ?? "Service") !== "Service") continue;
        const svc = services.get(ref.name);
        if (!svc) {
          report(route, "reference", `backendRef Service ${ref.name} is not rendered`);
        } else if (!(svc.spec?.ports ?? []).some((p) => p.port === ref.port)) {
          report(route, "reference", `Service ${ref.name} has no port ${ref.port}`);
        }
      }
    }
  }
  // browsers may send the token as ?access_token=, which ingress-nginx's default log format writes out
  for (const ing of byKind(docs, "Ingress").values()) {
    const toGateway = (ing.spec?.rules ?? []).some((r) => (r.http?.paths ?? [])
      .some((p) => p.backend?.service?.name === "alert-gateway"));
    if (toGateway && ing.metadata?.annotations?.["nginx.ingress.kubernetes.io/enable-access-log"] !== "false") {
      report(ing, "token-log", 'routes to alert-gateway (?access_token=) but does not set nginx.ingress.kubernetes.io/enable-access-log: "false"');
    }
  }
}
