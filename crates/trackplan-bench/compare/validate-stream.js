// Validates a stream of events in Mixpanel's export shape (one `{"event", "properties"}` object a
// line) against `trackplan export --format json-schema` with the ajv library, the engine ajv-cli
// runs, and prints the counts as one JSON object. Used by bench-audit-compare.
//
// Usage: node validate-stream.js SCHEMA.json EVENTS.ndjson
//
// Why not ajv-cli alone: ajv-cli validates one JSON document per file against one schema, while
// the exported schema holds one schema per event under `$defs`, picked by the event's name. So
// this script does what a user would script around ajv: it compiles the exported document once
// (draft 2020-12, formats from ajv-formats, all errors of an event as `trackplan audit` reports
// them), reads the file in large chunks, parses each line, and validates the event's properties
// with the validator of `#/$defs/<name>`, compiled on first use. An event without a schema is
// unplanned; a line that is not JSON is malformed; neither stops the run.
"use strict";

const fs = require("fs");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

function main() {
  const [schemaPath, eventsPath] = process.argv.slice(2);
  if (!schemaPath || !eventsPath) {
    console.error("usage: node validate-stream.js SCHEMA.json EVENTS.ndjson");
    process.exit(2);
  }
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
  const planned = new Set(Object.keys(schema.$defs ?? {}));
  ajv.addSchema(schema, "plan");

  const validators = new Map();
  const validatorOf = (name) => {
    let validate = validators.get(name);
    if (validate === undefined) {
      // A JSON pointer in a URI fragment: `~` and `/` escaped, then percent-encoded.
      const pointer = encodeURIComponent(name.replace(/~/g, "~0").replace(/\//g, "~1"));
      validate = planned.has(name) ? ajv.getSchema(`plan#/$defs/${pointer}`) : null;
      validators.set(name, validate);
    }
    return validate;
  };

  const counts = { events: 0, valid: 0, invalid: 0, unplanned: 0, malformed: 0, errors: 0 };
  const checkLine = (line) => {
    if (line.length === 0) return;
    let record;
    try {
      record = JSON.parse(line);
    } catch {
      counts.malformed += 1;
      return;
    }
    counts.events += 1;
    const validate = record && typeof record.event === "string" ? validatorOf(record.event) : null;
    if (!validate) {
      counts.unplanned += 1;
      return;
    }
    if (validate(record.properties ?? {})) {
      counts.valid += 1;
    } else {
      counts.invalid += 1;
      counts.errors += validate.errors.length;
    }
  };

  // Chunks cut at their last newline, so no line (nor a UTF-8 sequence) is split.
  const fd = fs.openSync(eventsPath, "r");
  const chunk = Buffer.allocUnsafe(8 << 20);
  let carry = Buffer.alloc(0);
  for (;;) {
    const read = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) break;
    const bytes = carry.length ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
    const end = bytes.lastIndexOf(10);
    if (end < 0) {
      carry = Buffer.from(bytes);
      continue;
    }
    for (const line of bytes.toString("utf8", 0, end).split("\n")) checkLine(line);
    carry = Buffer.from(bytes.subarray(end + 1));
  }
  fs.closeSync(fd);
  checkLine(carry.toString("utf8"));
  process.stdout.write(JSON.stringify(counts) + "\n");
}

main();
