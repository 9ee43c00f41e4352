// Initiates the replica set once (mongosh --nodb --file rs-init.js). Idempotent: exits 0 when the set already
// exists. Fails (non-zero exit, so the Job retries) while a member is unreachable: replSetInitiate needs all of
// them. Member host names are the StatefulSet's stable DNS names, fully qualified so that clients in other
// namespaces can resolve the names the driver learns from the set.
const env = process.env;
const namespace = env.POD_NAMESPACE;
const domain = env.CLUSTER_DOMAIN || 'cluster.local';
const service = env.MONGODB_SERVICE || 'mongodb';
const setName = env.REPLICA_SET || 'rs0';
const count = parseInt(env.MONGODB_MEMBERS || '3', 10);

if (!namespace) {
  throw new Error('POD_NAMESPACE is not set');
}
const hosts = [];
for (let i = 0; i < count; i++) {
  hosts.push(`${service}-${i}.${service}.${namespace}.svc.${domain}:27017`);
}

function admin(host) {
  return new Mongo(`mongodb://${host}/?directConnection=true&serverSelectionTimeoutMS=5000`).getDB('admin');
}

function waitFor(what, check, attempts, delayMs) {
  for (let i = 1; i <= attempts; i++) {
    try {
      if (check()) {
        return;
      }
    } catch (e) {
      print(`${what}: attempt ${i}/${attempts}: ${e.message}`);
    }
    sleep(delayMs);
  }
  throw new Error(`gave up waiting: ${what}`);
}

// every member must answer before the set can be initiated
for (const host of hosts) {
  waitFor(`${host} answers`, () => admin(host).runCommand({ ping: 1 }).ok === 1, 60, 5000);
}

const hello = admin(hosts[0]).runCommand({ hello: 1 });
if (hello.setName) {
  print(`replica set ${hello.setName} already initiated (primary: ${hello.primary || 'none yet'})`);
  quit(0);
}

const config = { _id: setName, members: hosts.map((host, i) => ({ _id: i, host: host })) };
// mongosh may return {ok: 0, code} or throw a server error with the code; 23 AlreadyInitialized means another run
// got there first
let result;
try {
  result = admin(hosts[0]).runCommand({ replSetInitiate: config });
} catch (e) {
  result = { ok: 0, code: e.code, errmsg: e.message };
}
if (result.ok !== 1 && result.code !== 23) {
  throw new Error(`replSetInitiate failed: ${JSON.stringify(result)}`);
}
print(`replSetInitiate: ${JSON.stringify(result)}`);

waitFor('a primary is elected', () => Boolean(admin(hosts[0]).runCommand({ hello: 1 }).primary), 60, 2000);
print(`replica set ${setName} ready: ${hosts.join(',')}`);
