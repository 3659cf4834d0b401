//! Each input shape and framing, and hostile input: what is read, what is reported, and that
//! nothing panics or hangs.

mod common;

use common::*;
use std::io::Write;
use trackplan_audit::{audit, audit_text, Input, Options, Report};

const PLAN: &str = r#"
super_properties: [platform]
properties:
  platform: {type: string, enum: [web, ios], description: The client.}
user_properties:
  plan: {type: string, enum: [free, pro], description: The subscription.}
events:
  Order Completed:
    description: The payment went through.
    status: implemented
    properties:
      order_id: {type: string, required: true, description: The order.}
      revenue: {type: number, min: 0, description: The total.}
      player:
        type: object
        description: The player.
        properties:
          volume: {type: integer, max: 10, description: Loudness.}
"#;

fn report(text: &str) -> Report {
    audit_text(&plan_of(PLAN), "events", text.as_bytes())
}

fn rules(report: &Report) -> Vec<String> {
    let mut lines = lines(report);
    lines.sort();
    lines
}

#[test]
fn mixpanel_export_lines() {
    let r = report(concat!(
        r#"{"event": "Order Completed", "properties": {"distinct_id": "u1", "time": 1714566600, "$insert_id": "x", "mp_lib": "web", "platform": "web", "order_id": "o1", "revenue": 9.5, "player": {"volume": 11}}}"#,
        "\n"
    ));
    assert_eq!(
        rules(&r),
        ["range-violation Order Completed player.volume 1"]
    );
    assert_eq!(r.summary.events_read, 1);
}

#[test]
fn segment_and_rudderstack_track_and_identify() {
    let r = report(concat!(
        r#"{"type": "track", "event": "Order Completed", "userId": "u1", "anonymousId": null, "context": {"ip": "1.2.3.4"}, "properties": {"platform": "ios", "order_id": "o1"}}"#,
        "\n",
        r#"{"type": "track", "event": "Order Completed", "anonymousId": "a1", "properties": {"platform": "tv", "order_id": "o1", "$browser": "x"}}"#,
        "\n",
        r#"{"type": "identify", "userId": "u1", "traits": {"plan": "gold", "nickname": "x"}}"#,
        "\n",
        r#"{"type": "page", "name": "Home", "userId": "u1"}"#,
        "\n",
        r#"{"type": "identify", "anonymousId": "anonymous", "context": {"traits": {"plan": "pro"}}}"#,
        "\n",
    ));
    assert_eq!(
        rules(&r),
        [
            "enum-violation Order Completed platform 1",
            "enum-violation identify plan 1",
            "invalid-distinct-id identify anonymousId 1",
            // Segment sends no `$` properties of its own, but the plan goes to Mixpanel.
            "unplanned-property identify nickname 1",
        ]
    );
    assert_eq!(r.summary.events_read, 4);
    assert_eq!(r.summary.identify_calls, 2);
    assert_eq!(r.summary.other_calls, 1);
}

#[test]
fn snowplow_self_describing_json() {
    let r = report(concat!(
        r#"{"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0", "data": {"schema": "iglu:com.acme/order_completed/jsonschema/1-0-0", "data": {"platform": "web", "order_id": 5}}}"#,
        "\n",
        r#"{"schema": "iglu:com.acme/order_completed/jsonschema/1-0-0", "data": {"platform": "web", "order_id": "o1"}, "user_id": "null"}"#,
        "\n",
        r#"{"schema": "not iglu", "data": {}}"#,
        "\n",
    ));
    assert_eq!(
        rules(&r),
        [
            "invalid-distinct-id Order Completed user_id 1",
            "malformed-line - - 1",
            "wrong-type Order Completed order_id 1",
        ]
    );
}

#[test]
fn a_json_array_over_many_lines_is_read_element_by_element() {
    let text = r#"
[
  {"event": "Order Completed",
   "properties": {"distinct_id": "u1", "platform": "web", "order_id": "o1", "note": "a ] in a string, and \" too"}},
  {"event": "Nope", "properties": {"distinct_id": "u1"}},
  42,
  {"event": "Order Completed", "properties": {"distinct_id": "u1", "platform": "web"}}
]
"#;
    let r = report(text);
    let missing = find(
        &r,
        "missing-required-property",
        Some("Order Completed"),
        Some("order_id"),
    )
    .unwrap();
    assert_eq!(
        missing.examples[0].line, 7,
        "the line the element starts on"
    );
    let unplanned = find(
        &r,
        "unplanned-property",
        Some("Order Completed"),
        Some("note"),
    )
    .unwrap();
    assert_eq!(unplanned.examples[0].line, 3);
    assert_eq!(
        find(&r, "unplanned-event", Some("Nope"), None)
            .unwrap()
            .examples[0]
            .line,
        5
    );
    let malformed = find(&r, "malformed-line", None, None).unwrap();
    assert_eq!(
        (
            malformed.examples[0].line,
            malformed.examples[0].value.as_str()
        ),
        (6, "a record must be a JSON object")
    );
    assert_eq!(r.summary.events_read, 3);
}

#[test]
fn a_null_is_only_unexpected_null() {
    let r = report(
        r#"{"event": "Order Completed", "properties": {"distinct_id": "u1", "platform": null, "order_id": null, "revenue": null}}"#,
    );
    assert_eq!(
        rules(&r),
        [
            "unexpected-null Order Completed order_id 1",
            "unexpected-null Order Completed platform 1",
            "unexpected-null Order Completed revenue 1",
        ]
    );
}

#[test]
fn gzip_and_plain_inputs_read_the_same_and_examples_name_their_input() {
    let line = r#"{"event": "Nope", "properties": {"distinct_id": "u1"}}"#;
    let text = format!("{line}\n{line}\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(text.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let plan = plan_of(PLAN);
    let inputs = vec![
        Input {
            name: "a.ndjson".into(),
            reader: Box::new(std::io::Cursor::new(text.clone().into_bytes())),
        },
        Input {
            name: "b.ndjson.gz".into(),
            reader: Box::new(std::io::Cursor::new(gz)),
        },
    ];
    let r = audit(&plan, inputs, &Options { threads: 2 });
    let unplanned = find(&r, "unplanned-event", Some("Nope"), None).unwrap();
    assert_eq!(unplanned.count, 4);
    let seen: Vec<(&str, u64)> = unplanned
        .examples
        .iter()
        .map(|e| (e.file.as_str(), e.line))
        .collect();
    assert_eq!(seen, [("a.ndjson", 1), ("a.ndjson", 2), ("b.ndjson.gz", 1)]);
}

#[test]
fn a_truncated_gzip_reports_where_it_ends_and_keeps_what_was_read() {
    let line = r#"{"event": "Nope", "properties": {"distinct_id": "u1"}}"#;
    let text: String = (0..2000).map(|_| format!("{line}\n")).collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(text.as_bytes()).unwrap();
    let mut gz = gz.finish().unwrap();
    gz.truncate(gz.len() / 2);
    let r = audit_text(&plan_of(PLAN), "cut.gz", &gz);
    let malformed = find(&r, "malformed-line", None, None).unwrap();
    assert!(
        malformed.examples[0].value.contains("truncated gzip"),
        "{:?}",
        malformed.examples
    );
    let read = find(&r, "unplanned-event", Some("Nope"), None)
        .unwrap()
        .count;
    assert!(read > 0 && read < 2000, "{read} lines read before the end");
}

#[test]
fn an_array_that_never_closes() {
    let r = report("[\n{\"event\": \"Nope\", \"properties\": {\"distinct_id\": \"u1\"}},\n{\"event\": \"Nope\", \"prop");
    let malformed = find(&r, "malformed-line", None, None).unwrap();
    assert_eq!(malformed.examples[0].line, 3);
    assert!(
        malformed.examples[0]
            .value
            .contains("opened on line 1 is never closed"),
        "{}",
        malformed.examples[0].value
    );
    assert_eq!(
        find(&r, "unplanned-event", Some("Nope"), None)
            .unwrap()
            .count,
        1
    );
    let r = report("[\n{\"event\": \"Nope\", \"properties\": {\"distinct_id\": \"u1\"}},\n");
    let malformed = find(&r, "malformed-line", None, None).unwrap();
    assert_eq!(
        (
            malformed.examples[0].line,
            malformed.examples[0].value.as_str()
        ),
        (1, "the JSON array opened here is never closed")
    );
}

#[test]
fn invalid_utf8_and_garbage_lines_are_counted_and_reading_goes_on() {
    let mut text =
        b"{\"event\": \"Order Completed\", \"properties\": {\"distinct_id\": \"\xff\xfe\"}}\n"
            .to_vec();
    text.extend_from_slice(b"\x00\x01binary\n\n   \n{\"event\": \"Nope\"}\n");
    let r = audit_text(&plan_of(PLAN), "bad", &text);
    let malformed = find(&r, "malformed-line", None, None).unwrap();
    assert_eq!(malformed.count, 2, "blank lines are not records");
    assert_eq!(
        malformed.examples[0].value,
        "not JSON: the line is not valid UTF-8"
    );
    assert_eq!(malformed.examples[1].line, 2);
    assert_eq!(
        find(&r, "unplanned-event", Some("Nope"), None)
            .unwrap()
            .examples[0]
            .line,
        5
    );
}

#[test]
fn nesting_ten_thousand_deep_is_a_malformed_line() {
    let deep = format!("{{\"event\": \"Order Completed\", \"properties\": {{\"distinct_id\": \"u1\", \"x\": {}1{}}}}}", "[".repeat(10_000), "]".repeat(10_000));
    let r = report(&format!("{deep}\n{deep}\n"));
    let malformed = find(&r, "malformed-line", None, None).unwrap();
    assert_eq!(malformed.count, 2);
    assert!(
        malformed.examples[0]
            .value
            .contains("nested 10002 levels deep"),
        "{}",
        malformed.examples[0].value
    );
    // In an array too, and brackets inside strings do not count.
    let r = report(&format!(
        "[{deep}, {{\"event\": \"Nope\", \"properties\": {{\"distinct_id\": \"{}\"}}}}]",
        "[".repeat(500)
    ));
    assert_eq!(find(&r, "malformed-line", None, None).unwrap().count, 1);
    assert_eq!(
        find(&r, "unplanned-event", Some("Nope"), None)
            .unwrap()
            .count,
        1
    );
}

#[test]
fn a_line_over_the_limit_is_skipped_without_being_held() {
    let long = format!(
        "{{\"event\": \"Nope\", \"properties\": {{\"x\": \"{}\"}}}}",
        "a".repeat(trackplan_audit::MAX_RECORD_BYTES + 10)
    );
    let r = report(&format!(
        "{long}\n{{\"event\": \"Nope\", \"properties\": {{\"distinct_id\": \"u\"}}}}\n"
    ));
    let malformed = find(&r, "malformed-line", None, None).unwrap();
    assert_eq!(malformed.examples[0].line, 1);
    assert!(
        malformed.examples[0]
            .value
            .contains("records over 8 MiB are not read"),
        "{}",
        malformed.examples[0].value
    );
    assert_eq!(
        find(&r, "unplanned-event", Some("Nope"), None)
            .unwrap()
            .examples[0]
            .line,
        2
    );
}

#[test]
fn unplanned_names_beyond_the_table_are_counted_together() {
    let text: String = (0..12_000)
        .map(|i| {
            format!("{{\"event\": \"Random {i}\", \"properties\": {{\"distinct_id\": \"u\"}}}}\n")
        })
        .collect();
    let r = report(&text);
    let unplanned: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule.as_str() == "unplanned-event")
        .collect();
    assert!(unplanned.len() <= trackplan_audit::tally::MAX_FINDINGS + 1);
    assert_eq!(unplanned.iter().map(|f| f.count).sum::<u64>(), 12_000);
    let other = unplanned
        .iter()
        .find(|f| f.event.as_deref() == Some(trackplan_audit::tally::OTHER_NAMES))
        .unwrap();
    assert_eq!(other.count, 2_000);
}

#[test]
fn unique_items_compares_json_values_and_a_long_list_is_one_pass() {
    let plan = plan_of(
        r#"
events:
  Tagged:
    description: Tags.
    properties:
      tags: {type: list, unique_items: true, description: Tags.}
"#,
    );
    let line = |tags: &str| {
        format!(r#"{{"event": "Tagged", "properties": {{"distinct_id": "u1", "tags": {tags}}}}}"#)
    };
    let repeated = [
        "[1, 1.0]",
        "[0, -0.0]",
        r#"[{"a": 1, "b": [2]}, {"b": [2.0], "a": 1}]"#,
        r#"["x", "y", "x"]"#,
        "[null, null]",
    ];
    let different = [
        r#"["1", 1]"#,
        "[true, 1]",
        r#"[{"a": 1}, {"a": "1"}]"#,
        "[[1, 2], [2, 1]]",
        "[null, false, 0, \"\"]",
    ];
    for (tags, repeats) in repeated
        .iter()
        .map(|t| (t, true))
        .chain(different.iter().map(|t| (t, false)))
    {
        let r = audit_text(&plan, "events", line(tags).as_bytes());
        let found = lines(&r) == ["list-size-violation Tagged tags 1"];
        assert_eq!(found, repeats, "{tags}: {:?}", lines(&r));
    }
    // 200,000 different items: compared pair by pair this would take minutes.
    let long: Vec<String> = (0..200_000).map(|n| n.to_string()).collect();
    let text = line(&format!("[{}]", long.join(",")));
    let started = std::time::Instant::now();
    let r = audit_text(&plan, "events", text.as_bytes());
    assert!(lines(&r).is_empty(), "{:?}", lines(&r));
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}
