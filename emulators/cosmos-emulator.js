#!/usr/bin/env node
// Launches the Cosmos-protocol emulator (@vercel/cosmosdb-server) the way this project needs it:
//  - HTTPS with keep-alive connections (the bundled CLI closes every connection: about 5x slower);
//  - a missing document answers 404 like Cosmos DB does (the package answers 500: it reads a
//    property of the undefined document);
//  - optional persistence: with --data FILE the databases, containers and documents are saved to
//    FILE (every 2 s when changed, and on exit) and loaded at start, so local data survives restarts.
// Usage: node cosmos-emulator.js --port 8081 [--host 127.0.0.1] [--data path/to/cosmos.json]
"use strict";
const fs = require("fs");
const path = require("path");

const args = { port: 8081, host: "127.0.0.1", data: null };
for (let i = 2; i < process.argv.length; i += 2) {
  const [key, value] = [process.argv[i], process.argv[i + 1]];
  if (key === "--port") args.port = parseInt(value, 10);
  else if (key === "--host") args.host = value;
  else if (key === "--data") args.data = value;
  else throw new Error(`unknown argument ${key}`);
}

const lib = "@vercel/cosmosdb-server/lib";
const notFound = { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
for (const handler of ["read-document", "replace-document", "patch-document", "delete-document"]) {
  const mod = require(`${lib}/handler/${handler}`);
  const original = mod.default;
  mod.default = async (account, req, res, params) => {
    try {
      return await original(account, req, res, params);
    } catch (err) {
      if (err instanceof TypeError || /does not exist/.test(err.message)) {
        res.statusCode = 404;
        return { ...notFound };
      }
      throw err;
    }
  };
}

// Capture the account the server creates when it starts listening, for persistence.
const accountModule = require(`${lib}/account`);
let account = null;
const OriginalAccount = accountModule.default;
accountModule.default = class extends OriginalAccount {
  constructor(...a) {
    super(...a);
    account = this;
    if (args.data) load(this, args.data);
  }
};

const systemFields = ["_rid", "_self", "_etag", "_ts", "_docs", "_sprocs", "_triggers", "_udfs", "_conflicts"];
const strip = data => Object.fromEntries(Object.entries(data).filter(([k]) => !systemFields.includes(k)));
const values = items => [...items._data.values()].map(item => item);

function snapshot(acc) {
  return values(acc.databases).map(db => ({
    database: strip(db.read()),
    containers: values(db.collections).map(coll => ({
      container: strip(coll.read()),
      documents: values(coll.documents).map(doc => strip(doc.read())),
    })),
  }));
}

function load(acc, file) {
  if (!fs.existsSync(file)) return;
  let count = 0;
  for (const { database, containers } of JSON.parse(fs.readFileSync(file, "utf8"))) {
    acc.databases.create(database);
    const db = acc.database(database.id);
    for (const { container, documents } of containers) {
      db.collections.create(container);
      const coll = db.collection(container.id);
      for (const doc of documents) coll.documents.create(doc);
      count += documents.length;
    }
  }
  console.log(`loaded ${count} documents from ${file}`);
}

let dirty = false;
function save() {
  if (!args.data || !account || !dirty) return;
  dirty = false;
  fs.mkdirSync(path.dirname(args.data), { recursive: true });
  const tmp = `${args.data}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(snapshot(account)));
  fs.renameSync(tmp, args.data);
}

const { createHttpsServer } = require(lib);
const server = createHttpsServer({ keepAlive: true });
server.on("request", req => {
  if (req.method !== "GET" && req.method !== "HEAD") dirty = true;
});
server.keepAliveTimeout = 60_000;
server.listen(args.port, args.host, () => {
  console.log(`Cosmos emulator ready at https://${args.host}:${server.address().port}/`);
});
if (args.data) setInterval(save, 2000).unref();

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    save();
    server.close();
    process.exit(0);
  });
}
