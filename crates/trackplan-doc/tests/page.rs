//! The page's data and HTML for a small plan that holds every kind of entity: what each entity
//! record says, the links the page follows, where findings land, and a page that cannot be broken
//! out of or made to load anything.

mod support;

use serde_json::Value as Json;
use std::path::Path;
use std::sync::Arc;
use support::{embedded, entity, ids};
use trackplan_core::{parse_file, FileId, Plan};
use trackplan_doc::{render, Input, Live};

fn fixture_plan() -> Plan {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plan");
    let files = ["trackplan.yaml", "events/shop.yaml", "properties.yaml"];
    Plan::new(
        files
            .iter()
            .enumerate()
            .map(|(i, path)| {
                let text = std::fs::read_to_string(root.join(path)).unwrap();
                Arc::new(parse_file(FileId(i as u32), path, text))
            })
            .collect(),
    )
}

fn input<'a>(plan: &'a Plan, diagnostics: &'a [trackplan_core::Diagnostic]) -> Input<'a> {
    Input {
        plan,
        diagnostics,
        plan_dir: "plans/doc-shop",
        history: None,
        source: trackplan_doc::source_links("git@github.com:acme/plans.git", "main"),
        live: None,
        generator: "trackplan test",
    }
}

fn data() -> Json {
    let plan = fixture_plan();
    let diagnostics = trackplan_core::check(&plan);
    serde_json::to_value(trackplan_doc::data(&input(&plan, &diagnostics))).unwrap()
}

#[test]
fn every_entity_is_in_the_data_in_plan_order() {
    let data = data();
    assert_eq!(ids(&data, "teams"), ["growth", "data"]);
    assert_eq!(ids(&data, "goals"), ["revenue", "loyalty"]);
    assert_eq!(
        ids(&data, "kpis"),
        ["checkout-conversion", "order-value", "repeat-rate"]
    );
    assert_eq!(ids(&data, "flows"), ["purchase", "sign-up"]);
    assert_eq!(
        ids(&data, "events"),
        [
            "Product Viewed",
            "Checkout Started",
            "Buy Now Clicked",
            "Order Completed",
            "Old Order Placed",
            "Signed Up",
            "Logged Out"
        ]
    );
    assert_eq!(
        ids(&data, "properties"),
        [
            "platform",
            "product_id",
            "price",
            "cart_id",
            "email",
            "skus"
        ]
    );
    assert_eq!(ids(&data, "user_properties"), ["$email", "plan_tier"]);
    let kinds: Vec<&str> = data["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "team",
            "goal",
            "kpi",
            "flow",
            "event",
            "property",
            "user-property"
        ],
        "the core's table of kinds, in its order"
    );
    for kind in data["kinds"].as_array().unwrap() {
        let section = kind["section"].as_str().unwrap();
        assert!(
            data[section].is_array(),
            "the data has a list per kind: {section}"
        );
    }
}

#[test]
fn entity_records_say_what_the_plan_says() {
    let data = data();
    let kpi = entity(&data, "kpis", "checkout-conversion");
    assert_eq!(kpi["name"], "Checkout conversion");
    assert_eq!(kpi["goal"], "revenue");
    assert_eq!(kpi["priority"], 1);
    assert_eq!(kpi["owners"], serde_json::json!(["growth"]));
    assert_eq!(kpi["definition"], "Orders / checkouts, 1 day.");
    // Format 1.1: several owners, links, sensitivity and expiry are shown as the plan says them.
    let aov = entity(&data, "kpis", "order-value");
    assert_eq!(aov["owners"], serde_json::json!(["growth", "data"]));
    assert_eq!(
        aov["links"],
        serde_json::json!([["dashboard", "https://example.com/dashboards/aov"]])
    );
    let logged_out = entity(&data, "events", "Logged Out");
    assert_eq!(logged_out["sensitivity"], "internal");
    assert_eq!(logged_out["expires"], "2031-01-31");
    let cart = entity(&data, "properties", "cart_id");
    assert_eq!(cart["sensitivity"], "internal");
    assert_eq!(cart["expires"], "2031-06-30");

    let flow = entity(&data, "flows", "purchase");
    assert_eq!(
        flow["kpis"],
        serde_json::json!(["checkout-conversion", "order-value"])
    );
    assert_eq!(
        flow["alternatives"],
        serde_json::json!([[
            "buy-now",
            ["Product Viewed", "Buy Now Clicked", "Order Completed"]
        ]])
    );

    let order = entity(&data, "events", "Order Completed");
    assert_eq!(order["status"], "implemented");
    assert_eq!(order["platforms"], serde_json::json!(["web", "ios"]));
    assert_eq!(order["kpis"], serde_json::json!(["order-value"]));
    let props = order["props"].as_array().unwrap();
    assert_eq!(props[0], serde_json::json!(["cart_id", true]));
    assert_eq!(props[1][0], "revenue");
    assert_eq!(props[1][3]["type"], "number");
    assert_eq!(props[1][3]["description"], "Order total.");
    let shipping = &props[2][3];
    assert_eq!(props[2][1], Json::Null, "required is not said");
    assert_eq!(shipping["properties"][1][0], "zip");
    assert_eq!(shipping["properties"][1][1]["pii"], true);
    let checkout = entity(&data, "events", "Checkout Started");
    assert_eq!(
        checkout["props"][0][2]["description"],
        "The cart being checked out."
    );
    assert_eq!(
        entity(&data, "events", "Old Order Placed")["replaced_by"],
        "Order Completed"
    );

    let product_id = entity(&data, "properties", "product_id");
    assert_eq!(product_id["type"], "string");
    assert_eq!(product_id["pattern"], "^p_[0-9]+$");
    assert_eq!(product_id["examples"], serde_json::json!(["p_1"]));
    assert_eq!(entity(&data, "properties", "skus")["items"], "string");
    assert_eq!(entity(&data, "user_properties", "$email")["pii"], true);

    let plan = &data["plan"];
    assert_eq!(plan["name"], "Doc Shop");
    assert_eq!(plan["dir"], "plans/doc-shop");
    assert_eq!(
        plan["identity"]["identify"],
        serde_json::json!(["Signed Up"])
    );
    assert_eq!(plan["super_properties"], serde_json::json!(["platform"]));
    assert_eq!(plan["event_case"], "title");
}

#[test]
fn locations_point_at_the_key_of_each_definition() {
    let data = data();
    let files: Vec<&str> = data["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        ["trackplan.yaml", "events/shop.yaml", "properties.yaml"]
    );
    let at = |section: &str, id: &str| {
        let at = &entity(&data, section, id)["at"];
        (
            files[at[0].as_u64().unwrap() as usize].to_string(),
            at[1].as_u64().unwrap(),
        )
    };
    assert_eq!(
        at("events", "Order Completed"),
        ("events/shop.yaml".into(), 23)
    );
    assert_eq!(at("kpis", "order-value"), ("trackplan.yaml".into(), 30));
    assert_eq!(at("properties", "email"), ("properties.yaml".into(), 7));
    assert_eq!(
        data["source"],
        serde_json::json!({
            "file": "https://github.com/acme/plans/blob/main/{path}#L{line}",
            "commit": "https://github.com/acme/plans/commit/{id}",
            "dir": "plans/doc-shop",
        })
    );
}

#[test]
fn findings_land_on_the_entity_that_holds_them() {
    let data = data();
    let problems = data["problems"].as_array().unwrap();
    let unknown_step = problems
        .iter()
        .position(|p| {
            p["rule"] == "unknown-reference"
                && p["message"].as_str().unwrap().contains("Ghost Step")
        })
        .expect("the unknown step is reported");
    assert_eq!(
        problems[unknown_step]["entity"],
        serde_json::json!(["flow", "sign-up"])
    );
    let flow = entity(&data, "flows", "sign-up");
    assert!(flow["problems"]
        .as_array()
        .unwrap()
        .contains(&Json::from(unknown_step)));
    let unknown_goal = problems
        .iter()
        .position(|p| p["message"].as_str().unwrap().contains("nowhere"))
        .expect("the unknown goal is reported");
    assert_eq!(
        problems[unknown_goal]["entity"],
        serde_json::json!(["kpi", "repeat-rate"])
    );
    for problem in problems {
        assert!(problem["at"][1].as_u64().unwrap() >= 1);
    }
}

#[test]
fn the_page_holds_everything_and_loads_nothing() {
    let plan = fixture_plan();
    let diagnostics = trackplan_core::check(&plan);
    let html = render(&input(&plan, &diagnostics));
    assert!(html.starts_with("<!doctype html>"));
    // The plan's text cannot end the data element: the JSON reads back whole.
    assert_eq!(embedded(&html), data());
    assert_eq!(
        html.matches("<script").count(),
        2,
        "the data and the script"
    );
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(!html.contains("alert(1)</script>"));
    for attribute in [" src=", "@import", "url(http", "<iframe", "<img"] {
        assert!(!html.contains(attribute), "the page holds {attribute}");
    }
    assert_eq!(html.matches("<link").count(), 1, "only the empty icon");
    assert!(html.contains("<link rel=\"icon\" href=\"data:,\">"));
    assert!(html.contains(
        "content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'\""
    ));
    assert!(html.contains("<title>Doc Shop · tracking plan</title>"));
}

#[test]
fn a_served_page_may_connect_to_its_server_only() {
    let plan = fixture_plan();
    let mut input = input(&plan, &[]);
    input.live = Some(Live {
        events: "/events".into(),
        version: 7,
    });
    let html = render(&input);
    assert!(html.contains("connect-src 'self'"));
    assert_eq!(
        embedded(&html)["live"],
        serde_json::json!({"events": "/events", "version": 7})
    );
}

#[test]
fn an_empty_plan_still_makes_a_page() {
    let plan = Plan::new(vec![Arc::new(parse_file(
        FileId(0),
        "trackplan.yaml",
        "trackplan: 1\n",
    ))]);
    let html = render(&input(&plan, &[]));
    let data = embedded(&html);
    for section in [
        "events",
        "kpis",
        "goals",
        "flows",
        "teams",
        "properties",
        "user_properties",
    ] {
        assert_eq!(data[section], serde_json::json!([]), "{section}");
    }
    assert!(data["plan"].get("name").is_none());
    assert!(html.contains("<title>Tracking plan</title>"));
}
