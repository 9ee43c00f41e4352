#!/usr/bin/env node
// Checks that every tocsin_* metric name used in monitoring files (alerting rules, the Grafana dashboard, the HPA's
// custom metric, the prometheus-adapter rule) is one the services actually export, so a renamed meter cannot leave an
// alert silently watching nothing.
//
// The exported names are derived from the Java sources: every meter registered under a "tocsin.*" name in the three
// services' src/main/java (Counter/Gauge/Timer/DistributionSummary builders, registry.counter/gauge/timer/summary, and
// GatewayMetrics' count(map, "name", ...) helper, which builds counters), renamed the way Micrometer's Prometheus
// registry does: `.` -> `_`, counters + `_total`, timers + `_seconds` (+ `_count`, `_sum`, `_max`, `_bucket`),
// distribution summaries + `_count`, `_sum`, `_max`, `_bucket`, a base unit appended before those suffixes.
// A "tocsin.*" string literal in a meter class that none of these patterns explains fails the check (it could be a
// meter this script does not understand).
//
// Usage: node metrics.mjs REPO_ROOT FILE...   Exit 0 when every name is known, 1 otherwise, 2 on usage errors.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const SERVICES = ["alert-gateway", "alert-ingest", "notification-relay"];
const [root, ...files] = process.argv.slice(2);
if (!root || files.length === 0) {
  console.error("usage: node metrics.mjs REPO_ROOT FILE...");
  process.exit(2);
}

function javaFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...javaFiles(path));
    else if (name.endsWith(".java")) out.push(path);
  }
  return out;
}

// kind of meter from the call that takes the name as its first string argument
const PATTERNS = [
  [/Counter\.builder\(\s*"(tocsin\.[a-z0-9.]+)"/g, "counter"],
  [/FunctionCounter\.builder\(\s*"(tocsin\.[a-z0-9.]+)"/g, "counter"],
  [/Gauge\.builder\(\s*"(tocsin\.[a-z0-9.]+)"/g, "gauge"],
  [/TimeGauge\.builder\(\s*"(tocsin\.[a-z0-9.]+)"/g, "timegauge"],
  [/Timer\.builder\(\s*"(tocsin\.[a-z0-9.]+)"/g, "timer"],
  [/FunctionTimer\.builder\(\s*"(tocsin\.[a-z0-9.]+)"/g, "timer"],
  [/DistributionSummary\.builder\(\s*"(tocsin\.[a-z0-9.]+)"/g, "summary"],
  [/registry\.counter\(\s*"(tocsin\.[a-z0-9.]+)"/g, "counter"],
  [/registry\.gauge\(\s*"(tocsin\.[a-z0-9.]+)"/g, "gauge"],
  [/registry\.timer\(\s*"(tocsin\.[a-z0-9.]+)"/g, "timer"],
  [/registry\.summary\(\s*"(tocsin\.[a-z0-9.]+)"/g, "summary"],
  // GatewayMetrics: count(Map<String, Counter>, "name", "description", ...) builds a Counter
  [/\bcount\(\s*[a-zA-Z]+\s*,\s*"(tocsin\.[a-z0-9.]+)"/g, "counter"],
];

const known = new Map(); // prometheus name -> "java name (kind) in file"
const problems = [];
for (const service of SERVICES) {
  const dir = join(root, service, "src/main/java");
  for (const file of javaFiles(dir)) {
    const text = readFileSync(file, "utf8");
    if (!text.includes("io.micrometer")) continue;
    const explained = new Set();
    for (const [regex, kind] of PATTERNS) {
      for (const m of text.matchAll(regex)) {
        // the builder chain up to the end of the statement: a base unit changes the name
        const statement = text.slice(m.index, text.indexOf(";", m.index));
        const unit = /\.baseUnit\(\s*"([a-z_]+)"/.exec(statement)?.[1];
        const base = m[1].replaceAll(".", "_") + (unit ? `_${unit}` : "");
        const where = `${m[1]} (${kind}) in ${file.slice(root.length + 1)}`;
        for (const name of prometheusNames(base, kind)) known.set(name, where);
        explained.add(m.index + m[0].indexOf('"'));
      }
    }
    for (const m of text.matchAll(/"tocsin\.[a-z0-9.]+"/g)) {
      if (!explained.has(m.index)) {
        problems.push(`${file.slice(root.length + 1)}: meter name ${m[0]} registered in a way metrics.mjs does not recognise`);
      }
    }
  }
}

function prometheusNames(base, kind) {
  switch (kind) {
    case "counter":
      return [`${base}_total`];
    case "gauge":
      return [base];
    case "timegauge":
      return [`${base}_seconds`];
    case "timer": {
      const b = `${base}_seconds`;
      return [b, `${b}_count`, `${b}_sum`, `${b}_max`, `${b}_bucket`];
    }
    case "summary":
      return [base, `${base}_count`, `${base}_sum`, `${base}_max`, `${base}_bucket`];
    default:
      throw new Error(kind);
  }
}

if (known.size === 0) problems.push(`no tocsin.* meters found under ${root}: wrong REPO_ROOT?`);

let used = 0;
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const names = new Set(text.match(/\btocsin_[a-z0-9_]+/g) ?? []);
  for (const name of names) {
    used++;
    if (!known.has(name)) {
      const close = [...known.keys()].filter((k) => k.startsWith(name) || name.startsWith(k.replace(/_(total|count|sum|max|bucket|seconds)$/, "")));
      problems.push(`${file}: [metric-name] ${name} is not exported by any service` + (close.length ? ` (did you mean ${close.slice(0, 3).join(", ")}?)` : ""));
    }
  }
}
for (const p of problems) console.log(p);
if (problems.length === 0) {
  console.log(`metrics: OK, ${used} tocsin_* names in ${files.length} files, all among the ${known.size} exported series names`);
}
process.exit(problems.length === 0 ? 0 : 1);
