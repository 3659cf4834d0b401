//! `trackplan export` end to end: the binary on fixture plans and the templates. The exported JSON
//! Schemas and the Lexicon body are checked by Python's `jsonschema` (installed by
//! scripts/setup-test-deps.sh), an independent validator, on events that must pass and events
//! that must fail.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const FIXTURE: &str = "tests/fixtures/export/plan";
const FORMATS: &[&str] = &[
    "mixpanel-lexicon",
    "mixpanel-lexicon-csv",
    "json-schema",
    "segment",
    "csv",
    "markdown",
];
const FOLDER_FORMATS: &[&str] = &["rudderstack", "snowplow"];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn trackplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("trackplan runs")
}

fn export(format: &str, plan: &str) -> (Vec<u8>, String) {
    let out = trackplan(&["export", "--format", format, "--plan", plan]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "export {format} {plan}: {stderr}");
    (out.stdout, stderr)
}

fn export_json(format: &str, plan: &str) -> Value {
    serde_json::from_slice(&export(format, plan).0).expect("the export is JSON")
}

fn templates() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("plans"))
        .unwrap()
        .map(|e| format!("plans/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    names
}

/// Runs tests/support/validate_json.py: the schema must be a valid draft 2020-12 schema and each
/// case must come out as it says.
fn validate(schema: &Value, cases: Vec<Value>) {
    let jsonschema = repo().join(".ci/cache/python-jsonschema");
    assert!(
        jsonschema.join("jsonschema").is_dir(),
        "Python's jsonschema is missing from {}: run scripts/setup-test-deps.sh",
        jsonschema.display()
    );
    let mut child = Command::new("python3")
        .arg(repo().join("tests/support/validate_json.py"))
        .env("PYTHONPATH", &jsonschema)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let job = json!({"schema": schema, "cases": cases});
    std::io::Write::write_all(
        child.stdin.as_mut().unwrap(),
        serde_json::to_string(&job).unwrap().as_bytes(),
    )
    .unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the validator disagrees:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn case(name: &str, event: &str, instance: Value, valid: bool) -> Value {
    let reference = format!("#/$defs/{}", event.replace('%', "%25").replace(' ', "%20"));
    json!({"name": name, "ref": reference, "instance": instance, "valid": valid})
}

fn order() -> Value {
    json!({
        "order_id": "3f2c8a6e-9b1d-4c7e-8f00-12ab34cd56ef",
        "currency": "EUR",
        "revenue": 19.75,
        "items": [{"sku": "A-1", "quantity": 2}, {"sku": "B-2"}],
        "platform": "web",
        "distinct_id": "u_1",
        "time": 1700000000,
        "$insert_id": "abc",
        "mp_lib": "web"
    })
}

fn with(mut base: Value, key: &str, value: Value) -> Value {
    base[key] = value;
    base
}

fn without(mut base: Value, key: &str) -> Value {
    base.as_object_mut().unwrap().remove(key);
    base
}

#[test]
fn json_schema_validates_events_with_an_independent_validator() {
    let schema = export_json("json-schema", FIXTURE);
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(
        schema["$defs"]["Order Completed"]["title"],
        "Order Completed"
    );
    let order_event = "Order Completed";
    let cases = vec![
        json!({"name": "the root constrains nothing", "ref": "#", "instance": 42, "valid": true}),
        case("a planned order", order_event, order(), true),
        case(
            "no revenue (required)",
            order_event,
            without(order(), "revenue"),
            false,
        ),
        case(
            "revenue as text",
            order_event,
            with(order(), "revenue", json!("19.75")),
            false,
        ),
        case(
            "revenue below min",
            order_event,
            with(order(), "revenue", json!(-1)),
            false,
        ),
        case(
            "revenue not a multiple of 0.25",
            order_event,
            with(order(), "revenue", json!(19.8)),
            false,
        ),
        case(
            "an unplanned property on a closed event",
            order_event,
            with(order(), "gift_wrap", json!(true)),
            false,
        ),
        case(
            "a super property is planned on every event",
            order_event,
            with(order(), "platform", json!("ios")),
            true,
        ),
        case(
            "a super property's enum holds",
            order_event,
            with(order(), "platform", json!("tv")),
            false,
        ),
        case(
            "Mixpanel's automatic properties on a closed event",
            order_event,
            with(order(), "$os", json!("Linux")),
            true,
        ),
        case(
            "coupon may be null",
            order_event,
            with(order(), "coupon", Value::Null),
            true,
        ),
        case(
            "coupon too short",
            order_event,
            with(order(), "coupon", json!("AB")),
            false,
        ),
        case(
            "coupon against its pattern",
            order_event,
            with(order(), "coupon", json!("abc")),
            false,
        ),
        case(
            "currency narrowed for this event",
            order_event,
            with(order(), "currency", json!("GBP")),
            false,
        ),
        case(
            "order_id is a uuid",
            order_event,
            with(order(), "order_id", json!("o-1")),
            false,
        ),
        case(
            "no items",
            order_event,
            with(order(), "items", json!([])),
            false,
        ),
        case(
            "an item twice",
            order_event,
            with(order(), "items", json!([{"sku": "A"}, {"sku": "A"}])),
            false,
        ),
        case(
            "an item without its required sku",
            order_event,
            with(order(), "items", json!([{"quantity": 1}])),
            false,
        ),
        case(
            "an unplanned key in a closed item",
            order_event,
            with(order(), "items", json!([{"sku": "A", "color": "red"}])),
            false,
        ),
        case(
            "shipping country of three letters",
            order_event,
            with(order(), "shipping", json!({"country": "FRA"})),
            false,
        ),
        case(
            "shipping as planned",
            order_event,
            with(
                order(),
                "shipping",
                json!({"country": "FR", "express": true}),
            ),
            true,
        ),
        case(
            "reference: integer or string",
            order_event,
            with(order(), "reference", json!(12)),
            true,
        ),
        case(
            "reference: not a boolean",
            order_event,
            with(order(), "reference", json!(true)),
            false,
        ),
        case(
            "metadata: any value",
            order_event,
            with(order(), "metadata", json!({"a": [1]})),
            true,
        ),
        case(
            "metadata: but not null",
            order_event,
            with(order(), "metadata", Value::Null),
            false,
        ),
        case(
            "placed_at is a date-time string",
            order_event,
            with(order(), "placed_at", json!(3)),
            false,
        ),
        case(
            "an open event takes unplanned properties",
            "Checkout Started",
            json!({"cart_size": 3, "extra": 1}),
            true,
        ),
        case(
            "cart_size is an integer",
            "Checkout Started",
            json!({"cart_size": 2.5}),
            false,
        ),
        case(
            "cart_size is required",
            "Checkout Started",
            json!({}),
            false,
        ),
        case(
            "an e-mail address",
            "Signed Up",
            json!({"email": "ada@example.com"}),
            true,
        ),
        case(
            "not an e-mail address",
            "Signed Up",
            json!({"email": "ada"}),
            false,
        ),
        case(
            "user properties",
            "$user",
            json!({"$email": "ada@example.com", "plan_tier": "pro"}),
            true,
        ),
        case(
            "a user property's enum",
            "$user",
            json!({"plan_tier": "gold"}),
            false,
        ),
    ];
    validate(&schema, cases);
}

#[test]
fn every_template_exports_a_valid_json_schema_that_its_events_meet() {
    for template in templates() {
        let schema = export_json("json-schema", &template);
        let defs = schema["$defs"].as_object().unwrap();
        assert!(!defs.is_empty(), "{template}");
        // An event carrying no properties meets its schema exactly when it requires none.
        let cases = defs
            .iter()
            .map(|(name, def)| {
                let requires = def["required"].as_array().is_some_and(|r| !r.is_empty());
                case(&format!("{template}: {name}"), name, json!({}), !requires)
            })
            .collect();
        validate(&schema, cases);
    }
}

#[test]
fn lexicon_body_matches_the_schemas_api_request_schema() {
    let api: Value = serde_json::from_str(
        &std::fs::read_to_string(
            repo().join("tests/fixtures/export/mixpanel-schemas-api.openapi.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let request = "#/components/schemas/SchemaBatchRequest";
    let mut cases = Vec::new();
    for plan in std::iter::once(FIXTURE.to_string()).chain(templates()) {
        let body = export_json("mixpanel-lexicon", &plan);
        cases.push(json!({"name": plan, "ref": request, "instance": body, "valid": true}));
    }
    // The fixture is strict enough to catch a wrong body.
    let mut wrong = export_json("mixpanel-lexicon", FIXTURE);
    wrong["entries"][0]["extra"] = json!(1);
    cases.push(json!({"name": "an entry with an extra key", "ref": request, "instance": wrong, "valid": false}));
    let mut wrong = export_json("mixpanel-lexicon", FIXTURE);
    wrong["entries"][0]["schemaJson"]["properties"]["x"] = json!({"type": "datetime"});
    cases.push(json!({"name": "a type Mixpanel does not know", "ref": request, "instance": wrong, "valid": false}));
    validate(&api, cases);

    let body = export_json("mixpanel-lexicon", FIXTURE);
    assert_eq!(body["truncate"], false);
    let entries = body["entries"].as_array().unwrap();
    let names: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["entityType"].as_str().unwrap(),
                e["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("event", "Cart Viewed"),
            ("event", "Checkout Started"),
            ("event", "Logged Out"),
            ("event", "Order Completed"),
            ("event", "Signed Up"),
            ("profile", "$user"),
        ]
    );
    let entry =
        |name: &str| entries.iter().find(|e| e["name"] == name).unwrap()["schemaJson"].clone();
    let cart = entry("Cart Viewed");
    assert_eq!(
        cart["metadata"]["com.mixpanel"]["hidden"], true,
        "deprecated: hidden"
    );
    assert_eq!(
        cart["metadata"]["com.mixpanel"]["dropped"], true,
        "deprecated and expired: dropped"
    );
    let checkout = entry("Checkout Started");
    assert_eq!(
        checkout["metadata"]["com.mixpanel"]["owners"],
        json!([{"name": "Checkout"}, {"name": "Growth", "email": "growth@example.com"}])
    );
    assert_eq!(
        checkout["metadata"]["com.mixpanel"]["tags"],
        json!(["checkout"])
    );
    assert_eq!(checkout["metadata"]["com.mixpanel"]["hidden"], false);
    assert_eq!(checkout["required"], json!(["cart_size"]));
    let order = entry("Order Completed");
    assert_eq!(
        order["properties"]["metadata"].get("type"),
        None,
        "any has no type"
    );
    assert_eq!(order["properties"]["placed_at"]["type"], "string");
    assert_eq!(order["properties"]["placed_at"]["format"], "date-time");
    assert_eq!(order["properties"]["items"]["type"], "array");
    assert_eq!(order["properties"]["revenue"]["examples"], json!([19.75]));
    assert_eq!(
        order["properties"]["currency"]["description"],
        "The order's currency."
    );
    assert_eq!(
        order["properties"]["platform"]["type"], "string",
        "super properties are in every event"
    );
    assert_eq!(entry("$user")["properties"]["$email"]["format"], "email");
}

#[test]
fn lexicon_csv_is_an_event_row_then_its_property_rows() {
    let (bytes, _) = export("mixpanel-lexicon-csv", FIXTURE);
    let mut reader = csv::Reader::from_reader(&bytes[..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[..3],
        ["Entity Type", "Entity Name", "Entity Display Name"]
    );
    assert_eq!(header.len(), 20);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let signed_up: Vec<&Vec<String>> = rows.iter().filter(|r| r[1] == "Signed Up").collect();
    assert_eq!(
        signed_up.len(),
        3,
        "the event, its email, the super property platform"
    );
    assert_eq!(signed_up[0][9], "", "the event row has no property");
    assert_eq!(
        signed_up[1][9..],
        [
            "email",
            "",
            "The address the user signed up with.",
            "",
            "",
            "String",
            "",
            "false",
            "false",
            "true",
            "true"
        ]
    );
    let placed_at = rows.iter().find(|r| r[9] == "placed_at").unwrap();
    assert_eq!(placed_at[14], "Date");
    let profile: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "profile").collect();
    assert_eq!(profile.len(), 2);
}

#[test]
fn csv_is_the_tracking_plan_spreadsheet() {
    let (bytes, _) = export("csv", FIXTURE);
    let mut reader = csv::Reader::from_reader(&bytes[..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    for column in [
        "Event Name",
        "Event Definition",
        "Platform",
        "Property Name",
        "Property Definition",
        "Data Type",
        "Sample Values",
        "KPIs",
        "Flows",
        "Owner",
        "Status",
        "PII",
        "Destinations",
    ] {
        assert!(header.iter().any(|h| h == column), "{column} in {header:?}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let order = rows
        .iter()
        .find(|r| &r[1] == "Order Completed" && r[9].is_empty())
        .unwrap();
    assert_eq!(&order[3], "checkout-conversion");
    assert_eq!(&order[4], "purchase");
    assert_eq!(&order[5], "checkout");
    assert_eq!(&order[6], "implemented");
    assert_eq!(&order[8], "mixpanel");
    let email = rows.iter().find(|r| &r[9] == "email").unwrap();
    assert_eq!((&email[12], &email[14]), ("yes", "yes"));
    assert!(rows
        .iter()
        .any(|r| &r[0] == "super property" && &r[9] == "platform"));
    assert!(rows
        .iter()
        .any(|r| &r[0] == "user property" && &r[9] == "$email"));
}

#[test]
fn markdown_is_a_data_dictionary() {
    let (bytes, _) = export("markdown", FIXTURE);
    let text = String::from_utf8(bytes).unwrap();
    for expected in [
        "# Acme Shop\n",
        "## KPIs\n",
        "### Order Completed\n",
        "| `revenue` | number | yes | Order total in the order currency. | min 0; multiple of 0.25; not personal data; e.g. 19.75 |",
        "- Replaced by: `Checkout Started`",
        "## User properties\n",
        "- Steps: `Checkout Started` → `Order Completed`",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
}

#[test]
fn exports_are_deterministic_and_out_writes_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    for format in FORMATS {
        for plan in std::iter::once(FIXTURE.to_string()).chain(templates()) {
            let (first, _) = export(format, &plan);
            let (second, _) = export(format, &plan);
            assert_eq!(first, second, "{format} {plan}");
            let out = dir.path().join(format!("{format}.out"));
            let written = trackplan(&[
                "export",
                "--format",
                format,
                "--plan",
                &plan,
                "--out",
                out.to_str().unwrap(),
            ]);
            assert!(written.status.success());
            assert!(written.stdout.is_empty(), "nothing on stdout with --out");
            assert_eq!(std::fs::read(&out).unwrap(), first, "{format} {plan}");
        }
    }
}

/// Every file below a folder, by relative path.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let name = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = Default::default();
    walk(dir, dir, &mut out);
    out
}

fn export_folder(format: &str, plan: &str, extra: &[&str]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut args = vec![
        "export",
        "--format",
        format,
        "--plan",
        plan,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let run = trackplan(&args);
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "{format} {plan}: {stderr}");
    (dir, stderr)
}

#[test]
fn folder_formats_are_deterministic_and_need_out() {
    for format in FOLDER_FORMATS {
        for plan in std::iter::once(FIXTURE.to_string()).chain(templates()) {
            let (first, _) = export_folder(format, &plan, &[]);
            let (second, _) = export_folder(format, &plan, &[]);
            let first = tree(&first.path().join("out"));
            assert!(!first.is_empty(), "{format} {plan}");
            assert_eq!(first, tree(&second.path().join("out")), "{format} {plan}");
        }
        let out = trackplan(&["export", "--format", format, "--plan", FIXTURE]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr)
            .contains("writes a folder of files: give it with --out DIR"));
    }
}

#[test]
fn segment_plan_nests_event_properties_and_validates_events() {
    let plan = export_json("segment", FIXTURE);
    assert_eq!(plan["name"], "Acme Shop");
    let rules = plan["rules"].as_array().unwrap();
    let rule = rules
        .iter()
        .find(|r| r["key"] == "Order Completed")
        .unwrap();
    assert_eq!(rule["type"], "TRACK");
    assert_eq!(rule["version"], 1);
    assert_eq!(rule["labels"], json!({"checkout": "", "revenue": ""}));
    let schema = &rule["jsonSchema"];
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(
        schema["properties"]["properties"]["properties"]["revenue"]["type"],
        "number"
    );
    let identify = rules.iter().find(|r| r["type"] == "IDENTIFY").unwrap();
    assert_eq!(
        identify["jsonSchema"]["properties"]["traits"]["properties"]["plan_tier"]["enum"],
        json!(["free", "pro"])
    );
    let call =
        |properties: Value| json!({"properties": properties, "context": {"ip": "192.0.2.1"}});
    let order_properties = without(
        without(
            without(without(order(), "distinct_id"), "time"),
            "$insert_id",
        ),
        "mp_lib",
    );
    validate(
        schema,
        vec![
            json!({"name": "a planned order", "instance": call(order_properties.clone()), "valid": true}),
            json!({"name": "no revenue", "instance": call(without(order_properties.clone(), "revenue")), "valid": false}),
            json!({"name": "an unplanned property on a closed event", "instance": call(with(order_properties.clone(), "gift", json!(1))), "valid": false}),
            json!({"name": "no properties at all", "instance": {"context": {}}, "valid": false}),
        ],
    );
}

#[test]
fn snowplow_schemas_are_self_describing_under_the_vendor() {
    let (dir, stderr) = export_folder("snowplow", FIXTURE, &["--vendor", "com.acme"]);
    assert!(!stderr.contains("no --vendor"), "{stderr}");
    let files = tree(&dir.path().join("out"));
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "schemas/com.acme/cart_viewed/jsonschema/1-0-0",
            "schemas/com.acme/checkout_started/jsonschema/1-0-0",
            "schemas/com.acme/logged_out/jsonschema/1-0-0",
            "schemas/com.acme/order_completed/jsonschema/1-0-0",
            "schemas/com.acme/signed_up/jsonschema/1-0-0",
        ]
    );
    let schema: Value =
        serde_json::from_slice(&files["schemas/com.acme/order_completed/jsonschema/1-0-0"])
            .unwrap();
    assert_eq!(
        schema["self"],
        json!({"vendor": "com.acme", "name": "order_completed", "format": "jsonschema", "version": "1-0-0"})
    );
    assert_eq!(schema["title"], "Order Completed");
    assert!(
        schema["properties"]["revenue"].get("examples").is_none(),
        "draft-04 has no examples"
    );
    let data = without(
        without(
            without(
                without(without(order(), "distinct_id"), "time"),
                "$insert_id",
            ),
            "mp_lib",
        ),
        "platform",
    );
    validate(
        &schema,
        vec![
            json!({"name": "a planned order", "instance": data.clone(), "valid": true}),
            json!({"name": "a super property is no part of it", "instance": with(data.clone(), "platform", json!("web")), "valid": false}),
            json!({"name": "a wrong type", "instance": with(data, "revenue", json!("1")), "valid": false}),
        ],
    );
    let (_, stderr) = export_folder("snowplow", FIXTURE, &[]);
    assert!(
        stderr.contains("warning: no --vendor given: the schemas are under `com.example`"),
        "{stderr}"
    );
}

#[test]
fn rudderstack_project_refers_only_to_what_it_defines() {
    let (dir, _) = export_folder("rudderstack", FIXTURE, &[]);
    let files = tree(&dir.path().join("out"));
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        ["events.yaml", "properties.yaml", "tracking-plan.yaml"]
    );
    let read = |name: &str| -> Value { serde_yaml::from_slice(&files[name]).unwrap() };
    let (properties, events, plan) = (
        read("properties.yaml"),
        read("events.yaml"),
        read("tracking-plan.yaml"),
    );
    for (document, kind) in [
        (&properties, "properties"),
        (&events, "events"),
        (&plan, "tracking-plan"),
    ] {
        assert_eq!(document["version"], "rudder/v1");
        assert_eq!(document["kind"], kind);
    }
    let property_ids: Vec<&str> = properties["spec"]["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    let mut unique = property_ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), property_ids.len(), "{property_ids:?}");
    let event_ids: Vec<&str> = events["spec"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    fn refs<'a>(entries: &'a Value, out: &mut Vec<&'a str>) {
        for entry in entries.as_array().into_iter().flatten() {
            out.push(
                entry["property"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("#property:"),
            );
            refs(&entry["properties"], out);
        }
    }
    for rule in plan["spec"]["rules"].as_array().unwrap() {
        let event = rule["event"]
            .as_str()
            .unwrap()
            .trim_start_matches("#event:");
        assert!(event_ids.contains(&event), "{event}");
        let mut used = Vec::new();
        refs(&rule["properties"], &mut used);
        for id in used {
            assert!(property_ids.contains(&id), "{id}");
        }
    }
    let order = plan["spec"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["event"] == "#event:order_completed")
        .unwrap();
    assert_eq!(order["additional_properties"], false);
    let coupon = properties["spec"]["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "coupon")
        .unwrap();
    assert_eq!(coupon["types"], json!(["string", "null"]));
    assert_eq!(coupon["config"]["max_length"], 12);
}

#[test]
fn what_a_format_cannot_hold_is_said_with_counts() {
    let (_, stderr) = export("json-schema", FIXTURE);
    assert!(
        stderr.contains("note: json-schema cannot hold everything in the plan; left out: ")
            && stderr.contains("KPIs (1)")
            && stderr.contains("flows (1)")
            && stderr.contains("teams (2)"),
        "{stderr}"
    );
    let (_, stderr) = export("markdown", FIXTURE);
    assert!(
        !stderr.contains("left out"),
        "markdown holds it all: {stderr}"
    );
    let (_, stderr) = export("mixpanel-lexicon", FIXTURE);
    assert!(
        stderr.contains("types of properties with several types (1)"),
        "{stderr}"
    );
}

/// A plan sent to Snowplow may use `token`, which Mixpanel keeps for itself: Lexicon leaves out
/// the events and properties named as Mixpanel's own (counted), and keeps its profile properties.
#[test]
fn lexicon_leaves_out_the_names_mixpanel_keeps_for_itself() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("trackplan.yaml"),
        r#"trackplan: 1
name: Sent to Snowplow
destinations: [snowplow]
events:
  Link Clicked:
    description: A link was clicked.
    properties:
      token: {type: string, required: true, description: The link's token.}
      time: {type: integer, description: Milliseconds to the click.}
      target: {type: string, description: Where the link goes.}
  $click:
    description: Named as Mixpanel's own events are.
user_properties:
  $email: {type: string, description: The user's address.}
  mp_segment: {type: string, description: Named as Mixpanel's own properties are.}
"#,
    )
    .unwrap();
    let plan = dir.path().to_str().unwrap();
    let (bytes, stderr) = export("mixpanel-lexicon", plan);
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    let entries = body["entries"].as_array().unwrap();
    let names: Vec<&str> = entries
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Link Clicked", "$user"]);
    let event = &entries[0]["schemaJson"];
    assert_eq!(
        event["properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["target"]
    );
    assert!(event.get("required").is_none(), "{event}");
    let profile = &entries[1]["schemaJson"]["properties"];
    assert_eq!(
        profile.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["$email"]
    );
    assert!(
        stderr.contains("events named as Mixpanel's own (names it reserves) (1)")
            && stderr.contains(
                "properties named as Mixpanel's own (names it reserves, such as `token`) (3)"
            ),
        "{stderr}"
    );
    let (bytes, stderr) = export("mixpanel-lexicon-csv", plan);
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.contains("Link Clicked") && !text.contains("token") && !text.contains("$click"),
        "{text}"
    );
    assert!(stderr.contains("such as `token`) (3)"), "{stderr}");
}

#[test]
fn a_plan_with_errors_is_not_exported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("trackplan.yaml"),
        "trackplan: 1\nname: Broken\nflows:\n  f:\n    name: F\n    steps: [Nowhere]\n",
    )
    .unwrap();
    let out = trackplan(&[
        "export",
        "--format",
        "json-schema",
        "--plan",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: the plan has 1 error; fix it first (`trackplan check"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    let out = trackplan(&[
        "export",
        "--format",
        "snowplow",
        "--plan",
        FIXTURE,
        "--vendor",
        "../up",
        "--out",
        dir.path().join("o").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`../up` is no Iglu vendor"));
    assert!(!dir.path().join("o").exists());
    let out = trackplan(&["export", "--format", "yaml", "--plan", FIXTURE]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values: mixpanel-lexicon"));
}

#[test]
fn docs_export_md_shows_what_each_format_writes() {
    const PLAN: &str = "docs/examples/export-plan";
    let doc = std::fs::read_to_string(repo().join("docs/export.md")).unwrap();
    let shows = |language: &str, text: &str, what: &str| {
        let text = text.replace('\r', "");
        assert!(
            doc.contains(&format!("```{language}\n{text}```")),
            "docs/export.md must show {what} exactly:\n{text}"
        );
    };
    for (format, language) in [
        ("mixpanel-lexicon", "json"),
        ("mixpanel-lexicon-csv", "csv"),
        ("json-schema", "json"),
        ("segment", "json"),
        ("csv", "csv"),
        ("markdown", "markdown"),
    ] {
        let (bytes, _) = export(format, PLAN);
        shows(language, &String::from_utf8(bytes).unwrap(), format);
    }
    let (rudderstack, _) = export_folder("rudderstack", PLAN, &[]);
    for file in ["tracking-plan.yaml", "properties.yaml", "events.yaml"] {
        let text = std::fs::read_to_string(rudderstack.path().join("out").join(file)).unwrap();
        shows("yaml", &text, file);
    }
    let (snowplow, _) = export_folder("snowplow", PLAN, &["--vendor", "com.acme"]);
    let file = "schemas/com.acme/note_created/jsonschema/1-0-0";
    shows(
        "json",
        &std::fs::read_to_string(snowplow.path().join("out").join(file)).unwrap(),
        file,
    );
    let plan = std::fs::read_to_string(repo().join(PLAN).join("trackplan.yaml")).unwrap();
    shows("yaml", &plan, "the example plan");
}
