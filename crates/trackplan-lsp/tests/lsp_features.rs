//! Every feature of the language server, driven in-process over real JSON-RPC. Fixtures hold
//! several files (`//- path` lines) and mark the cursor with `$0`; each feature has one `check_*`
//! helper that runs the request at the cursor and compares a plain-text rendering of the answer.

mod common;

use common::{has_code, position_of, rel, render_diagnostics, Client, Fixture, Options};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use trackplan_core::{FileId, Plan};

/// A small plan over four files; it checks clean except where a test changes it.
const PLAN: &str = r##"
//- trackplan.yaml
trackplan: 1
name: Test Shop
conventions:
  event_case: title
  property_case: snake
identity:
  id_merge: simplified
  identify: [Signed Up]
teams:
  growth: {name: Growth, contact: "#growth"}
goals:
  grow-revenue:
    name: Grow revenue
    description: Sell more.
kpis:
  checkout-conversion:
    name: Checkout conversion
    description: How many checkouts end in an order.
    goal: grow-revenue
    definition: Orders / checkouts, 7 days
    priority: 1
    owner: growth
//- flows.yaml
flows:
  purchase:
    name: Purchase
    description: From product to order.
    owner: growth
    kpis: [checkout-conversion]
    steps: [Product Viewed, Order Completed]
//- events/shop.yaml
# Shop events.
events:
  Signed Up:
    description: Account created.
    owner: growth
    status: implemented
  Product Viewed:
    description: A product page was shown.
    owner: growth
    status: implemented
    properties:
      product_id: required
  Order Completed:
    description: Payment succeeded.
    owner: growth
    status: planned
    kpis: [checkout-conversion]
    properties:
      product_id: required
      platform: optional
//- properties.yaml
super_properties: [platform]
properties:
  platform:
    type: string
    description: Where the event comes from.
    enum: [web, ios]
  product_id:
    type: string
    description: The product.
"##;

/// The plan with the part of one file replaced: `with(PLAN, "flows.yaml", "steps: [...]", "...")`.
fn with(base: &str, from: &str, to: &str) -> String {
    assert!(base.contains(from), "the fixture has {from:?}");
    base.replacen(from, to, 1)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Starts a server on a fixture and opens the file with the cursor; returns the client and the
/// cursor's text document position params.
async fn start(fixture: &str, options: Options) -> (Client, Fixture, Value) {
    let fixture = Fixture::parse(fixture);
    let client = Client::start(&fixture, options).await;
    let mut params = Value::Null;
    if let Some((path, offset)) = &fixture.cursor {
        client.open(path).await;
        let text = &fixture.files.iter().find(|(p, _)| p == path).unwrap().1;
        params = json!({
            "textDocument": {"uri": client.uri(path)},
            "position": position_of(text, *offset),
        });
    }
    (client, fixture, params)
}

// ---------------------------------------------------------------------------------------------
// Diagnostics

/// What `trackplan check` reports for the fixture's files: "path line:col-line:col rule".
fn check_output(fixture: &Fixture) -> String {
    let files: Vec<_> = fixture
        .files
        .iter()
        .enumerate()
        .map(|(i, (path, text))| {
            Arc::new(trackplan_core::parse_file(
                FileId(i as u32),
                path,
                text.as_str(),
            ))
        })
        .collect();
    let plan = Plan::new(files);
    let mut lines = Vec::new();
    for d in trackplan_core::check(&plan) {
        let file = plan.file(d.span.file).unwrap();
        let unit = trackplan_core::ColumnUnit::Utf16;
        let start = file
            .source
            .lines()
            .line_col(&file.source.text, d.span.start as usize, unit);
        let end = file
            .source
            .lines()
            .line_col(&file.source.text, d.span.end as usize, unit);
        lines.push(format!(
            "{} {}:{}-{}:{} {}",
            file.source.path, start.line, start.col, end.line, end.col, d.rule
        ));
    }
    lines.sort();
    lines.join("\n")
}

fn published_output(client: &Client) -> String {
    let mut lines = Vec::new();
    for (uri, params) in client.diagnostics.lock().unwrap().iter() {
        let path = rel(&client.root, uri);
        for d in params["diagnostics"].as_array().unwrap() {
            lines.push(format!(
                "{} {}:{}-{}:{} {}",
                path,
                d["range"]["start"]["line"],
                d["range"]["start"]["character"],
                d["range"]["end"]["line"],
                d["range"]["end"]["character"],
                d["code"].as_str().unwrap()
            ));
        }
    }
    lines.sort();
    lines.join("\n")
}

/// Starts a server on the fixture and waits until every file has diagnostics; they must be exactly
/// those of `trackplan check`.
fn check_diagnostics(fixture: &str, expect: &str) {
    runtime().block_on(async {
        let (client, fixture, _) = start(fixture, Options::default()).await;
        for (path, _) in &fixture.files {
            client.wait_diagnostics(path, |_| true).await;
        }
        let published = published_output(&client);
        assert_eq!(
            published,
            check_output(&fixture),
            "the server and check agree"
        );
        assert_eq!(published, expect.trim());
        client.shutdown().await;
    });
}

#[test]
fn diagnostics_at_start_for_every_file_are_those_of_check() {
    check_diagnostics(PLAN, "");
    let broken = with(
        PLAN,
        "steps: [Product Viewed, Order Completed]",
        "steps: [Product Viewed, Order Complted, Checkout Started]",
    );
    let broken = with(
        &broken,
        "    owner: growth\n    status: implemented\n  Product",
        "    ownr: growth\n    status: implemented\n  Product",
    );
    check_diagnostics(
        &broken,
        "
events/shop.yaml 2:2-2:11 missing-owner
events/shop.yaml 4:4-4:8 unknown-key
flows.yaml 6:28-6:42 unknown-reference
flows.yaml 6:44-6:60 unknown-reference",
    );
}

#[test]
fn diagnostics_follow_edits_across_files_with_versions() {
    runtime().block_on(async {
        let plan = with(
            PLAN,
            "steps: [Product Viewed, Order Completed]",
            "steps: [Product Viewed, Checkout Started, Order Completed]",
        );
        let (client, fixture, _) = start(&plan, Options::default()).await;
        let flows = client
            .wait_diagnostics("flows.yaml", |p| has_code(p, "unknown-reference"))
            .await;
        assert_eq!(
            render_diagnostics(&flows),
            "6:28-6:44 unknown-reference unknown event `Checkout Started`"
        );
        // Define the event in another file: the reference in flows.yaml is fixed.
        let events = &fixture
            .files
            .iter()
            .find(|(p, _)| p == "events/shop.yaml")
            .unwrap()
            .1;
        client.open_text("events/shop.yaml", events, 1).await;
        let at = position_of(events, events.find("  Order Completed:").unwrap());
        let insert = "  Checkout Started:\n    description: Checkout opened.\n    owner: growth\n";
        client.change("events/shop.yaml", 2, (at, at), insert).await;
        let flows = client
            .wait_diagnostics("flows.yaml", |p| !has_code(p, "unknown-reference"))
            .await;
        assert_eq!(render_diagnostics(&flows), "");
        let shop = client
            .wait_diagnostics("events/shop.yaml", |p| p["version"] == 2)
            .await;
        assert_eq!(render_diagnostics(&shop), "");
        // Break it again by typing in the open file: the error comes back, then goes when fixed.
        let start = position_of(events, events.find("  Order Completed:").unwrap() + 2);
        let end = lsp_types_pos(start.line, start.character + 8);
        client
            .change("events/shop.yaml", 3, (start, end), "Checkout Startd")
            .await;
        // (The text now reads "Checkout Startd:" where "Checkout Started:" was.)
        let flows = client
            .wait_diagnostics("flows.yaml", |p| has_code(p, "unknown-reference"))
            .await;
        assert!(
            render_diagnostics(&flows).contains("did you mean")
                || render_diagnostics(&flows).contains("unknown event")
        );
        client.shutdown().await;
    });
}

fn lsp_types_pos(line: u32, character: u32) -> tower_lsp::lsp_types::Position {
    tower_lsp::lsp_types::Position::new(line, character)
}

#[test]
fn the_plans_baseline_hides_the_findings_it_holds() {
    runtime().block_on(async {
        let plan = with(PLAN, "name: Test Shop\n", "name: Test Shop\nbaseline: .trackplan/baseline.json\n");
        // Two findings: the one the baseline holds stays hidden, the new one is shown.
        let plan = with(
            &plan,
            "    owner: growth\n    status: implemented\n  Product",
            "    status: implemented\n  Product",
        );
        let plan = with(&plan, "steps: [Product Viewed, Order Completed]", "steps: [Product Viewed, Order Complted]");
        let plan = format!(
            "{plan}//- .trackplan/baseline.json\n{}\n",
            r#"{"version": 1, "entries": [{"rule": "missing-owner", "path": ["events", "Signed Up"], "message": "event `Signed Up` has no owner"}]}"#
        );
        let (client, fixture, _) = start(&plan, Options::default()).await;
        for (path, _) in fixture.files.iter().filter(|(p, _)| p.ends_with(".yaml")) {
            client.wait_diagnostics(path, |_| true).await;
        }
        assert_eq!(published_output(&client), "flows.yaml 6:28-6:42 unknown-reference");
        client.shutdown().await;

        // A baseline that cannot be read is said on its line, and every finding is shown.
        let plan = with(&plan, "baseline: .trackplan/baseline.json", "baseline: nowhere.json");
        let (client, fixture, _) = start(&plan, Options::default()).await;
        for (path, _) in fixture.files.iter().filter(|(p, _)| p.ends_with(".yaml")) {
            client.wait_diagnostics(path, |_| true).await;
        }
        assert_eq!(
            published_output(&client),
            "events/shop.yaml 2:2-2:11 missing-owner\nflows.yaml 6:28-6:42 unknown-reference\ntrackplan.yaml 2:10-2:22 invalid-value"
        );
        let published = client.diagnostics.lock().unwrap().clone();
        let root = published
            .iter()
            .find(|(uri, _)| uri.ends_with("/trackplan.yaml"))
            .map(|(_, params)| params["diagnostics"][0]["message"].as_str().unwrap().to_string());
        assert_eq!(
            root.as_deref(),
            Some("cannot read the baseline `nowhere.json`: no such file; write it with `trackplan check --write-baseline nowhere.json`\nhelp: every finding is shown until the baseline can be read")
        );
        client.shutdown().await;
    });
}

#[test]
fn diagnostics_carry_rule_code_related_locations_and_links() {
    runtime().block_on(async {
        let plan = with(
            PLAN,
            "//- properties.yaml",
            "//- more.yaml\nproperties:\n  product_id: {type: string, description: Again.}\n//- properties.yaml",
        );
        let options = Options {
            init_options: json!({"docsBaseUrl": "https://docs.example/rules/"}),
            ..Options::default()
        };
        let (client, _, _) = start(&plan, options).await;
        let params = client
            .wait_diagnostics("properties.yaml", |p| has_code(p, "duplicate-definition"))
            .await;
        let d = params["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "duplicate-definition")
            .unwrap()
            .clone();
        assert_eq!(d["source"], "trackplan");
        assert_eq!(
            d["codeDescription"]["href"],
            "https://docs.example/rules/duplicate-definition"
        );
        let related = d["relatedInformation"].as_array().expect("related locations");
        assert!(!related.is_empty());
        assert!(related[0]["location"]["uri"].as_str().unwrap().ends_with("more.yaml"));
        client.shutdown().await;
    });
}

#[test]
fn hover_on_a_diagnostic_summarizes_the_rule_and_links_its_documentation() {
    let plan = with(
        PLAN,
        "steps: [Product Viewed, Order Completed]",
        "steps: [Product Viewed, Order Compl$0ted]",
    );
    let summary =
        "Flags a reference to a name the plan does not define, suggesting the nearest one.";
    // Without a docs URL: the rule's summary and the command that explains it, not its whole page.
    check_hover_with(
        &plan,
        Options::default(),
        &[
            "### Order Compl",
            "**unknown-reference** (error): unknown event `Order Complted`",
            "*help*: did you mean `Order Completed`?",
            summary,
            "`trackplan explain unknown-reference`",
        ],
        &["## What it does", "## Example"],
    );
    // With one: a link to the rule's page.
    check_hover_with(
        &plan,
        Options {
            init_options: json!({"docsBaseUrl": "https://example.com/rules/{rule}.html"}),
            ..Options::default()
        },
        &[
            summary,
            "[Documentation of `unknown-reference`](https://example.com/rules/unknown-reference.html)",
        ],
        &["## What it does", "trackplan explain"],
    );
}

#[test]
fn hover_lists_each_kpi_of_an_event_once() {
    // Two flows of the event serve the same KPI; the event names it too, and another one twice.
    let plan = with(
        PLAN,
        "    steps: [Product Viewed, Order Completed]\n",
        "    steps: [Product Viewed, Order Completed]\n  browse:\n    name: Browse\n    kpis: [checkout-conversion, browse-rate]\n    steps: [Product Viewed]\n  again:\n    name: Again\n    kpis: [browse-rate]\n    steps: [Product Viewed]\n",
    )
    .replace("  Product Viewed:\n", "  Product Vie$0wed:\n    kpis: [checkout-conversion, checkout-conversion]\n");
    check_hover_with(
        &plan,
        Options::default(),
        &["**KPIs**: `checkout-conversion`, `browse-rate` (via a flow)"],
        &[
            "`checkout-conversion`, `checkout-conversion`",
            "(via a flow), `browse-rate`",
            "`checkout-conversion` (via a flow)",
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Completion

/// Runs completion at the cursor; the labels, in the order the client shows them, must be `expect`
/// (one per line; `...` at the end accepts more).
fn check_completion(fixture: &str, expect: &str) {
    check_completion_with(fixture, expect, |_| {});
}

fn check_completion_with(fixture: &str, expect: &str, also: impl Fn(&[Value])) {
    runtime().block_on(async {
        let (client, _, params) = start(fixture, Options::default()).await;
        let result = client
            .request("textDocument/completion", params)
            .await
            .expect("completion answers");
        let mut items: Vec<Value> = match &result {
            Value::Null => Vec::new(),
            Value::Array(items) => items.clone(),
            other => other["items"].as_array().cloned().unwrap_or_default(),
        };
        items.sort_by_key(|i| {
            i["sortText"]
                .as_str()
                .unwrap_or(i["label"].as_str().unwrap())
                .to_string()
        });
        let labels: Vec<String> = items
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect();
        let expect = expect.trim();
        if let Some(prefix) = expect.strip_suffix("...") {
            let want: Vec<&str> = prefix.trim().lines().map(str::trim).collect();
            assert!(
                labels.len() >= want.len() && labels[..want.len()] == want[..],
                "completion labels {labels:#?} do not start with {want:#?}"
            );
        } else {
            let want: Vec<&str> = expect
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            assert_eq!(labels, want, "completion labels");
        }
        also(&items);
        client.shutdown().await;
    });
}

fn insert_of<'a>(items: &'a [Value], label: &str) -> &'a str {
    items
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("no item {label}"))["textEdit"]["newText"]
        .as_str()
        .unwrap()
}

#[test]
fn completes_event_names_in_flow_steps() {
    check_completion(
        &with(
            PLAN,
            "steps: [Product Viewed, Order Completed]",
            "steps: [Product Viewed, $0]",
        ),
        "Signed Up\nProduct Viewed\nOrder Completed",
    );
}

#[test]
fn completion_ranks_names_that_start_with_what_was_typed_first() {
    // `P` starts `Product Viewed`; the others only contain a `p`. Clients that do not sort by
    // themselves (Neovim 0.11+) show the server's order.
    check_completion(
        &with(
            PLAN,
            "    steps: [Product Viewed, Order Completed]",
            "    steps: [Order Completed]\n    alternatives:\n      quick: [P$0",
        ),
        "Product Viewed\nSigned Up\nOrder Completed",
    );
    check_completion(
        &with(
            PLAN,
            "    steps: [Product Viewed, Order Completed]",
            "    steps: [Signed Up]\n    alternatives:\n      quick: [comp$0",
        ),
        "Order Completed",
    );
}

#[test]
fn completes_while_the_yaml_is_half_typed() {
    // An unclosed quote and bracket: not valid YAML.
    check_completion_with(
        &with(
            PLAN,
            "steps: [Product Viewed, Order Completed]",
            "steps: [Product Viewed, \"Ord$0",
        ),
        "Order Completed",
        |items| {
            assert_eq!(insert_of(items, "Order Completed"), "\"Order Completed\"");
        },
    );
    check_completion(
        &with(
            PLAN,
            "    steps: [Product Viewed, Order Completed]",
            "    steps: [Product Viewed, Order Completed]\n    alternatives:\n      quick: [Sig$0",
        ),
        "Signed Up",
    );
}

#[test]
fn completes_events_in_identity_lists() {
    check_completion(
        &with(
            PLAN,
            "  identify: [Signed Up]",
            "  identify: [Signed Up]\n  reset:\n    - $0",
        ),
        "Signed Up\nProduct Viewed\nOrder Completed",
    );
}

#[test]
fn completes_kpi_goal_and_team_ids() {
    check_completion(
        &with(
            PLAN,
            "    kpis: [checkout-conversion]\n    steps",
            "    kpis: [$0]\n    steps",
        ),
        "checkout-conversion",
    );
    check_completion(
        &with(PLAN, "    goal: grow-revenue", "    goal: $0"),
        "grow-revenue",
    );
    check_completion(
        &with(
            PLAN,
            "    owner: growth\n    status: planned",
            "    owner: gr$0\n    status: planned",
        ),
        "growth",
    );
}

#[test]
fn completes_property_names_in_events_and_super_properties() {
    check_completion_with(
        &with(
            PLAN,
            "      product_id: required\n  Order",
            "      $0\n  Order",
        ),
        "platform\nproduct_id",
        |items| assert_eq!(insert_of(items, "platform"), "platform: "),
    );
    // Already listed properties are not offered again.
    check_completion(
        &with(
            PLAN,
            "      platform: optional",
            "      platform: optional\n      $0",
        ),
        "",
    );
    check_completion(
        &with(
            PLAN,
            "super_properties: [platform]",
            "super_properties: [platform, $0]",
        ),
        "platform\nproduct_id",
    );
}

#[test]
fn completes_allowed_words() {
    check_completion(
        &with(PLAN, "    status: planned", "    status: $0"),
        "proposed\nplanned\nimplemented\ndeprecated",
    );
    check_completion(
        &with(
            PLAN,
            "  product_id:\n    type: string",
            "  product_id:\n    type: $0",
        ),
        "string\nnumber\ninteger\nboolean\ndatetime\nlist\nobject\nany",
    );
    check_completion(
        &with(PLAN, "  event_case: title", "  event_case: $0"),
        "title\nsnake\ncamel\npascal\nkebab\nlower",
    );
    check_completion(
        &with(PLAN, "  id_merge: simplified", "  id_merge: $0"),
        "simplified\noriginal",
    );
    check_completion(
        &with(
            PLAN,
            "name: Test Shop\n",
            "name: Test Shop\nlint:\n  orphan-event: $0\n",
        ),
        "error\nwarning\ninfo\noff",
    );
    check_completion(
        &with(PLAN, "      platform: optional", "      platform: $0"),
        "required\noptional",
    );
}

#[test]
fn completes_enum_values() {
    check_completion(
        &with(
            PLAN,
            "      platform: optional",
            "      platform:\n        enum: [$0]",
        ),
        "web\nios",
    );
}

#[test]
fn completes_keys_with_documentation() {
    check_completion_with(
        &with(
            PLAN,
            "    status: planned\n",
            "    status: planned\n    $0\n",
        ),
        "platforms\nadditional_properties\nreplaced_by\nexpires\nsensitivity\nnotes\ntags\nlinks",
        |items| {
            let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
            // Keys already there are not offered, nor those that say the same thing another way.
            assert!(!labels.contains(&"owner") && !labels.contains(&"status"));
            assert!(!labels.contains(&"owners"));
            assert!(labels.contains(&"replaced_by"));
        },
    );
    check_completion_with(
        &with(PLAN, "name: Test Shop\n", "name: Test Shop\nlin$0\n"),
        "...",
        |items| {
            let lint = items
                .iter()
                .find(|i| i["label"] == "lint")
                .expect("lint is offered");
            assert!(lint["documentation"]["value"]
                .as_str()
                .unwrap()
                .contains("Severity per rule"));
            assert_eq!(lint["textEdit"]["newText"], "lint:\n  ");
        },
    );
    check_completion(
        &with(
            PLAN,
            "name: Test Shop\n",
            "name: Test Shop\nlint:\n  orphan-ev$0\n",
        ),
        "...",
    );
}

#[test]
fn completion_outside_a_plan_or_in_text_offers_nothing() {
    check_completion(
        &with(
            PLAN,
            "    description: Sell more.",
            "    description: Sell $0more.",
        ),
        "",
    );
    check_completion(&format!("{PLAN}//- notes/other.txt\nhello $0\n"), "");
}

// ---------------------------------------------------------------------------------------------
// Hover

fn check_hover(fixture: &str, expect: &[&str]) {
    check_hover_with(fixture, Options::default(), expect, &[]);
}

/// Hover at the cursor: its text holds every part of `expect` and none of `absent`.
fn check_hover_with(fixture: &str, options: Options, expect: &[&str], absent: &[&str]) {
    runtime().block_on(async {
        let (client, _, params) = start(fixture, options).await;
        let result = client.request("textDocument/hover", params).await.unwrap();
        let value = result["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        for part in expect {
            assert!(value.contains(part), "hover {value:?} lacks {part:?}");
        }
        for part in absent {
            assert!(!value.contains(part), "hover {value:?} has {part:?}");
        }
        client.shutdown().await;
    });
}

#[test]
fn hover_cards() {
    check_hover(
        &with(
            PLAN,
            "steps: [Product Viewed, Order Completed]",
            "steps: [Product Viewed, Order Comp$0leted]",
        ),
        &[
            "### Order Completed",
            "*event* · status `planned` · owner Growth (`growth`)",
            "Payment succeeded.",
            "**Properties** (2): `product_id` string required, `platform` string",
            "**Flows**: `purchase` (step 2 of 2)",
            "**KPIs**: `checkout-conversion`",
        ],
    );
    check_hover(
        &with(PLAN, "    kpis: [checkout-conversion]\n    properties", "    kpis: [checkout-$0conversion]\n    properties"),
        &[
            "### Checkout conversion",
            "*KPI* `checkout-conversion` · priority 1 (onboarding focus) · goal `grow-revenue` · owner Growth (`growth`)",
            "**Definition**: Orders / checkouts, 7 days",
            "**Flows**: `purchase`",
            "**Events**: `Order Completed`, `Product Viewed`",
        ],
    );
    check_hover(
        &with(
            PLAN,
            "      platform: optional",
            "      plat$0form: optional",
        ),
        &[
            "### platform",
            "*property* · type `string`",
            "**Enum**: `web`, `ios`",
            "A **super property**",
            "**Used by 1 event**: `Order Completed`",
        ],
    );
    check_hover(
        &with(PLAN, "  growth: {name", "  gro$0wth: {name"),
        &[
            "### Growth",
            "*team* `growth` · #growth",
            "**Owns**: 3 events, 1 flows, 1 KPIs, 0 goals",
        ],
    );
    check_hover(
        &with(PLAN, "    goal: grow-revenue", "    goal: grow-rev$0enue"),
        &[
            "### Grow revenue",
            "*goal*",
            "**KPIs**: `checkout-conversion`",
        ],
    );
    check_hover(
        &with(PLAN, "  purchase:", "  purch$0ase:"),
        &[
            "### Purchase",
            "*flow*",
            "**Steps**: Product Viewed → Order Completed",
        ],
    );
}

#[test]
fn hover_on_a_property_defined_in_an_event() {
    check_hover(
        &with(
            PLAN,
            "      platform: optional",
            "      platform: optional\n      revenue:\n        type: number\n        required: true\n        description: Order total.",
        )
        .replace("      revenue:", "      reve$0nue:"),
        &["### revenue", "*property of* `Order Completed` · type `number` · required", "Order total."],
    );
}

#[test]
fn hover_on_keys_shows_their_documentation() {
    check_hover(
        &with(PLAN, "    status: planned", "    sta$0tus: planned"),
        &["`status`", "Where the event is"],
    );
    check_hover(
        &with(PLAN, "trackplan: 1", "track$0plan: 1"),
        &["`trackplan` (required)", "version of the plan format"],
    );
}

// ---------------------------------------------------------------------------------------------
// Highlight, definition, references

/// Renders locations as "path line:col-line:col", sorted.
fn render_locations(client: &Client, locations: &Value) -> String {
    let list = match locations {
        Value::Array(list) => list.clone(),
        Value::Null => Vec::new(),
        single => vec![single.clone()],
    };
    let mut lines: Vec<String> = list
        .iter()
        .map(|l| {
            format!(
                "{} {}:{}-{}:{}",
                rel(&client.root, l["uri"].as_str().unwrap()),
                l["range"]["start"]["line"],
                l["range"]["start"]["character"],
                l["range"]["end"]["line"],
                l["range"]["end"]["character"]
            )
        })
        .collect();
    lines.sort();
    lines.join("\n")
}

fn check_locations(method: &str, fixture: &str, extra: Value, expect: &str) {
    runtime().block_on(async {
        let (client, _, mut params) = start(fixture, Options::default()).await;
        if let Value::Object(extra) = extra {
            params.as_object_mut().unwrap().extend(extra);
        }
        let result = client.request(method, params).await.unwrap();
        assert_eq!(render_locations(&client, &result), expect.trim());
        client.shutdown().await;
    });
}

fn check_definition(fixture: &str, expect: &str) {
    check_locations("textDocument/definition", fixture, Value::Null, expect);
}

fn check_references(fixture: &str, expect: &str) {
    check_locations(
        "textDocument/references",
        fixture,
        json!({"context": {"includeDeclaration": true}}),
        expect,
    );
}

#[test]
fn go_to_definition() {
    // From a flow step to the event.
    check_definition(
        &with(
            PLAN,
            "steps: [Product Viewed, Order Completed]",
            "steps: [Product Viewed, Order $0Completed]",
        ),
        "events/shop.yaml 12:2-12:17",
    );
    // Go to KPI: from an event's and a flow's KPI reference.
    check_definition(
        &with(
            PLAN,
            "    kpis: [checkout-conversion]\n    properties",
            "    kpis: [$0checkout-conversion]\n    properties",
        ),
        "trackplan.yaml 15:2-15:21",
    );
    check_definition(
        &with(
            PLAN,
            "    kpis: [checkout-conversion]\n    steps",
            "    kpis: [checkout-conversion$0]\n    steps",
        ),
        "trackplan.yaml 15:2-15:21",
    );
    // From a shorthand property to the dictionary, from owners, goals and identity.
    check_definition(
        &with(
            PLAN,
            "      platform: optional",
            "      plat$0form: optional",
        ),
        "properties.yaml 2:2-2:10",
    );
    check_definition(
        &with(PLAN, "    goal: grow-revenue", "    goal: $0grow-revenue"),
        "trackplan.yaml 11:2-11:14",
    );
    check_definition(
        &with(
            PLAN,
            "    owner: growth\n    kpis",
            "    owner: gro$0wth\n    kpis",
        ),
        "trackplan.yaml 9:2-9:8",
    );
    check_definition(
        &with(PLAN, "identify: [Signed Up]", "identify: [Signed$0 Up]"),
        "events/shop.yaml 2:2-2:11",
    );
}

#[test]
fn find_references() {
    check_references(
        &with(PLAN, "  Order Completed:\n", "  Order Comp$0leted:\n"),
        "events/shop.yaml 12:2-12:17\nflows.yaml 6:28-6:43",
    );
    check_references(
        &with(PLAN, "  platform:\n", "  plat$0form:\n"),
        "events/shop.yaml 19:6-19:14\nproperties.yaml 0:19-0:27\nproperties.yaml 2:2-2:10",
    );
}

#[test]
fn document_highlight_marks_definition_and_references_in_the_file() {
    runtime().block_on(async {
        let (client, _, params) = start(
            &with(
                PLAN,
                "      product_id: required\n  Order",
                "      product_$0id: required\n  Order",
            ),
            Options::default(),
        )
        .await;
        let result = client
            .request("textDocument/documentHighlight", params)
            .await
            .unwrap();
        let mut lines: Vec<String> = result
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                format!(
                    "{}:{} kind {}",
                    h["range"]["start"]["line"], h["range"]["start"]["character"], h["kind"]
                )
            })
            .collect();
        lines.sort();
        assert_eq!(lines.join("\n"), "11:6 kind 2\n18:6 kind 2");
        client.shutdown().await;
    });
    runtime().block_on(async {
        let (client, _, params) = start(
            &with(PLAN, "  product_id:\n    type", "  product_$0id:\n    type"),
            Options::default(),
        )
        .await;
        let result = client
            .request("textDocument/documentHighlight", params)
            .await
            .unwrap();
        assert_eq!(result.as_array().unwrap().len(), 1);
        assert_eq!(result[0]["kind"], 3, "a definition is a write");
        client.shutdown().await;
    });
}

// ---------------------------------------------------------------------------------------------
// Rename

/// Applies a workspace edit to the fixture's files (UTF-16 positions) and returns the changed files.
fn apply_edit(client: &Client, fixture: &Fixture, edit: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (uri, edits) in edit["changes"].as_object().unwrap() {
        let path = rel(&client.root, uri);
        let mut text = fixture
            .files
            .iter()
            .find(|(p, _)| *p == path)
            .unwrap()
            .1
            .clone();
        let mut edits: Vec<(usize, usize, String)> = edits
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let offset = |p: &Value| {
                    let index = trackplan_core::LineIndex::new(&text);
                    index.offset(
                        &text,
                        trackplan_core::LineCol {
                            line: p["line"].as_u64().unwrap() as u32,
                            col: p["character"].as_u64().unwrap() as u32,
                        },
                        trackplan_core::ColumnUnit::Utf16,
                    )
                };
                (
                    offset(&e["range"]["start"]),
                    offset(&e["range"]["end"]),
                    e["newText"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.0));
        for (start, end, new_text) in edits {
            text.replace_range(start..end, &new_text);
        }
        out.insert(path, text);
    }
    out
}

fn check_rename(fixture: &str, new_name: &str, expect: &[(&str, &str)]) {
    runtime().block_on(async {
        let (client, fixture, params) = start(fixture, Options::default()).await;
        let prepared = client
            .request("textDocument/prepareRename", params.clone())
            .await
            .unwrap();
        assert!(
            prepared["placeholder"].is_string(),
            "prepareRename gives a placeholder: {prepared}"
        );
        let mut rename = params.clone();
        rename["newName"] = json!(new_name);
        let edit = client.request("textDocument/rename", rename).await.unwrap();
        let changed = apply_edit(&client, &fixture, &edit);
        for (path, part) in expect {
            let text = changed
                .get(*path)
                .unwrap_or_else(|| panic!("{path} is not changed: {changed:#?}"));
            assert!(
                text.contains(part),
                "{path} after rename:\n{text}\nlacks {part:?}"
            );
        }
        // Nothing else changed: comments and layout are kept.
        for (path, text) in &changed {
            let before = &fixture.files.iter().find(|(p, _)| p == path).unwrap().1;
            assert_eq!(before.lines().count(), text.lines().count());
        }
        client.shutdown().await;
    });
}

#[test]
fn properties_defined_inside_events_have_references_and_rename() {
    // Mixpanel keeps one namespace of property names: `revenue` defined in two events is one name.
    let plan = with(
        PLAN,
        "      platform: optional",
        "      platform: optional\n      revenue: {type: number, description: Order total.}",
    )
    .replacen(
        "      product_id: required\n  Order",
        "      product_id: required\n      revenue: {type: number, description: Price shown.}\n  Order",
        1,
    );
    let at_second = plan.replacen(
        "      revenue: {type: number, description: Order",
        "      reve$0nue: {type: number, description: Order",
        1,
    );
    let refs = |text: &str| {
        text.lines()
            .filter(|l| l.starts_with("events/shop.yaml"))
            .count()
    };
    runtime().block_on(async {
        let (client, _, mut params) = start(&at_second, Options::default()).await;
        params["context"] = json!({"includeDeclaration": true});
        let result = client
            .request("textDocument/references", params)
            .await
            .unwrap();
        assert_eq!(refs(&render_locations(&client, &result)), 2, "{result}");
        client.shutdown().await;
    });
    check_rename(
        &at_second,
        "order_total",
        &[
            (
                "events/shop.yaml",
                "      order_total: {type: number, description: Price shown.}",
            ),
            (
                "events/shop.yaml",
                "      order_total: {type: number, description: Order total.}",
            ),
        ],
    );
}

#[test]
fn rename_an_event_everywhere_quoting_when_needed() {
    check_rename(
        &with(
            PLAN,
            "steps: [Product Viewed, Order Completed]",
            "steps: [Product Viewed, Order Com$0pleted]",
        ),
        "Order: Done",
        &[
            ("flows.yaml", "steps: [Product Viewed, \"Order: Done\"]"),
            (
                "events/shop.yaml",
                "  \"Order: Done\":\n    description: Payment succeeded.",
            ),
            ("events/shop.yaml", "# Shop events."),
        ],
    );
}

#[test]
fn rename_kpis_goals_flows_properties_and_teams() {
    check_rename(
        &with(
            PLAN,
            "    kpis: [checkout-conversion]\n    properties",
            "    kpis: [checkout-conv$0ersion]\n    properties",
        ),
        "order-conversion",
        &[
            (
                "trackplan.yaml",
                "  order-conversion:\n    name: Checkout conversion",
            ),
            ("flows.yaml", "kpis: [order-conversion]"),
            ("events/shop.yaml", "kpis: [order-conversion]"),
        ],
    );
    check_rename(
        &with(PLAN, "    goal: grow-revenue", "    goal: grow$0-revenue"),
        "revenue",
        &[
            ("trackplan.yaml", "  revenue:\n    name: Grow revenue"),
            ("trackplan.yaml", "goal: revenue"),
        ],
    );
    check_rename(
        &with(PLAN, "  platform:\n", "  plat$0form:\n"),
        "client_platform",
        &[
            ("properties.yaml", "super_properties: [client_platform]"),
            ("properties.yaml", "  client_platform:\n    type: string"),
            ("events/shop.yaml", "      client_platform: optional"),
        ],
    );
    check_rename(
        &with(PLAN, "  growth: {name", "  gr$0owth: {name"),
        "acquisition",
        &[
            ("trackplan.yaml", "  acquisition: {name: Growth"),
            ("flows.yaml", "owner: acquisition"),
            (
                "events/shop.yaml",
                "    owner: acquisition\n    status: planned",
            ),
        ],
    );
    check_rename(
        &with(PLAN, "  purchase:", "  purch$0ase:"),
        "buy",
        &[("flows.yaml", "  buy:\n    name: Purchase")],
    );
}

#[test]
fn rename_refuses_nonsense() {
    runtime().block_on(async {
        let (client, _, params) = start(
            &with(PLAN, "  Order Completed:\n", "  Order Comp$0leted:\n"),
            Options::default(),
        )
        .await;
        let mut rename = params.clone();
        rename["newName"] = json!("Product Viewed");
        let error = client
            .request("textDocument/rename", rename.clone())
            .await
            .unwrap_err();
        assert!(error["message"]
            .as_str()
            .unwrap()
            .contains("already defines"));
        rename["newName"] = json!("  ");
        assert!(client.request("textDocument/rename", rename).await.is_err());
        client.shutdown().await;
    });
    runtime().block_on(async {
        let (client, _, params) = start(
            &with(
                PLAN,
                "    description: Sell more.",
                "    description: Sell$0 more.",
            ),
            Options::default(),
        )
        .await;
        let prepared = client
            .request("textDocument/prepareRename", params)
            .await
            .unwrap();
        assert_eq!(prepared, Value::Null, "free text is not renamed");
        client.shutdown().await;
    });
}

// ---------------------------------------------------------------------------------------------
// Symbols

#[test]
fn document_symbols_outline_by_section() {
    runtime().block_on(async {
        let (client, _, params) = start(&with(PLAN, "# Shop events.", "# Shop events.$0"), Options::default()).await;
        let result = client
            .request("textDocument/documentSymbol", json!({"textDocument": params["textDocument"]}))
            .await
            .unwrap();
        fn render(symbols: &Value, depth: usize, out: &mut Vec<String>) {
            for s in symbols.as_array().into_iter().flatten() {
                out.push(format!("{}{} ({})", "  ".repeat(depth), s["name"].as_str().unwrap(), s["kind"]));
                render(&s["children"], depth + 1, out);
            }
        }
        let mut out = Vec::new();
        render(&result, 0, &mut out);
        assert_eq!(
            out.join("\n"),
            "events (3)\n  Signed Up (24)\n  Product Viewed (24)\n    product_id (8)\n  Order Completed (24)\n    product_id (8)\n    platform (8)"
        );
        client.shutdown().await;
    });
}

#[test]
fn workspace_symbols_fuzzy() {
    runtime().block_on(async {
        let (client, _, _) = start(PLAN, Options::default()).await;
        let result = client
            .request("workspace/symbol", json!({"query": "ordcomp"}))
            .await
            .unwrap();
        let names: Vec<String> = result
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                format!(
                    "{} {}",
                    s["name"].as_str().unwrap(),
                    rel(&client.root, s["location"]["uri"].as_str().unwrap())
                )
            })
            .collect();
        assert_eq!(names, vec!["Order Completed events/shop.yaml"]);
        let all = client
            .request("workspace/symbol", json!({"query": ""}))
            .await
            .unwrap();
        assert_eq!(
            all.as_array().unwrap().len(),
            9,
            "3 events, 2 properties, a KPI, goal, flow and team: {all:#}"
        );
        client.shutdown().await;
    });
}

// ---------------------------------------------------------------------------------------------
// Code actions

/// Runs code actions at the cursor, applies the one titled `title`, and checks the changed files.
fn check_action(fixture: &str, title: &str, expect: &[(&str, &str)]) {
    runtime().block_on(async {
        let (client, fixture, params) = start(fixture, Options::default()).await;
        let path = fixture.cursor.as_ref().unwrap().0.clone();
        client.wait_diagnostics(&path, |_| true).await;
        let position = params["position"].clone();
        let result = client
            .request(
                "textDocument/codeAction",
                json!({
                    "textDocument": params["textDocument"],
                    "range": {"start": position, "end": position},
                    "context": {"diagnostics": []}
                }),
            )
            .await
            .unwrap();
        let titles: Vec<&str> = result
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap())
            .collect();
        let action = result
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == title)
            .unwrap_or_else(|| panic!("no action {title:?} among {titles:?}"));
        assert_eq!(action["kind"], "quickfix");
        let changed = apply_edit(&client, &fixture, &action["edit"]);
        for (path, part) in expect {
            let text = changed
                .get(*path)
                .unwrap_or_else(|| panic!("{path} is not changed: {changed:#?}"));
            assert!(
                text.contains(part),
                "{path} after the action:\n{text}\nlacks {part:?}"
            );
        }
        client.shutdown().await;
    });
}

#[test]
fn code_actions_follow_the_only_filter() {
    let fixture = with(
        PLAN,
        "steps: [Product Viewed, Order Completed]",
        "steps: [Product Viewed, Order Compl$0ted]",
    );
    runtime().block_on(async {
        let (client, fixture, params) = start(&fixture, Options::default()).await;
        let path = fixture.cursor.as_ref().unwrap().0.clone();
        client.wait_diagnostics(&path, |_| true).await;
        let position = params["position"].clone();
        let count = |only: Value| {
            let request = json!({
                "textDocument": params["textDocument"],
                "range": {"start": position, "end": position},
                "context": {"diagnostics": [], "only": only}
            });
            let client = &client;
            async move {
                let result = client
                    .request("textDocument/codeAction", request)
                    .await
                    .unwrap();
                result.as_array().unwrap().len()
            }
        };
        assert!(count(json!(["quickfix"])).await > 0);
        assert_eq!(count(json!(["refactor"])).await, 0);
        assert_eq!(count(json!(["source.organizeImports"])).await, 0);
        client.shutdown().await;
    });
}

#[test]
fn quick_fix_did_you_mean() {
    check_action(
        &with(
            PLAN,
            "steps: [Product Viewed, Order Completed]",
            "steps: [Product Viewed, Order Compl$0ted]",
        ),
        "Replace with `Order Completed`",
        &[("flows.yaml", "steps: [Product Viewed, Order Completed]")],
    );
    check_action(
        &with(PLAN, "    status: planned", "    stat$0s: planned"),
        "Replace with `status`",
        &[("events/shop.yaml", "    status: planned")],
    );
}

#[test]
fn quick_fix_case_convention_renames_references() {
    check_action(
        &with(
            &with(
                PLAN,
                "steps: [Product Viewed, Order Completed]",
                "steps: [Product Viewed, order completed]",
            ),
            "  Order Completed:\n",
            "  order com$0pleted:\n",
        ),
        "Rename to `Order Completed`",
        &[
            ("events/shop.yaml", "  Order Completed:\n"),
            ("flows.yaml", "steps: [Product Viewed, Order Completed]"),
        ],
    );
    check_action(
        &with(
            &with(
                PLAN,
                "      platform: optional",
                "      clientPlatform: optional",
            ),
            "  platform:\n",
            "  client$0Platform:\n",
        ),
        "Rename to `client_platform`",
        &[
            ("properties.yaml", "  client_platform:\n"),
            ("events/shop.yaml", "      client_platform: optional"),
        ],
    );
}

#[test]
fn quick_fix_creates_stub_definitions() {
    check_action(
        &with(PLAN, "steps: [Product Viewed, Order Completed]", "steps: [Product Viewed, \"Checkout: Sta$0rted\", Order Completed]"),
        "Define event `Checkout: Started`",
        &[(
            "events/shop.yaml",
            "      platform: optional\n  \"Checkout: Started\":\n    description: TODO say when exactly this event is sent\n    status: proposed",
        )],
    );
    check_action(
        &with(
            PLAN,
            "      platform: optional",
            "      platform: optional\n      cou$0pon: optional",
        ),
        "Define property `coupon`",
        &[(
            "properties.yaml",
            "    description: The product.\n  coupon:\n    type: string\n",
        )],
    );
    check_action(
        &with(
            PLAN,
            "    kpis: [checkout-conversion]\n    steps",
            "    kpis: [checkout-conversion, aov$0]\n    steps",
        ),
        "Define KPI `aov`",
        &[(
            "trackplan.yaml",
            "    owner: growth\n  aov:\n    name: Aov\n    definition: TODO",
        )],
    );
}

// ---------------------------------------------------------------------------------------------
// Documents, positions and the workspace

#[test]
fn utf8_positions_when_the_client_offers_them() {
    runtime().block_on(async {
        let plan = with(PLAN, "    description: A product page was shown.", "    description: A prödüct 😀 page was shown.");
        let plan = with(&plan, "steps: [Product Viewed, Order Completed]", "steps: [Product Viewed, Order Completed]");
        let fixture = Fixture::parse(&plan);
        let options = Options { utf8: true, ..Options::default() };
        let client = Client::start(&fixture, options).await;
        let text = &fixture.files.iter().find(|(p, _)| p == "events/shop.yaml").unwrap().1;
        client.open("events/shop.yaml").await;
        // Type an unknown key after the emoji line, with a UTF-8 column.
        let line = text.lines().position(|l| l.contains("😀")).unwrap() as u32;
        let line_text = text.lines().nth(line as usize).unwrap();
        let end = tower_lsp::lsp_types::Position::new(line, line_text.len() as u32);
        client.change("events/shop.yaml", 2, (end, end), " x").await;
        client.wait_diagnostics("events/shop.yaml", |p| p["version"] == 2).await;
        let hover = client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": client.uri("events/shop.yaml")}, "position": {"line": line + 1, "character": 6}}),
            )
            .await
            .unwrap();
        assert!(hover["contents"]["value"].as_str().unwrap().contains("`owner`"));
        client.shutdown().await;
    });
}

#[test]
fn out_of_range_positions_are_clamped() {
    runtime().block_on(async {
        let (client, _, params) = start(&with(PLAN, "# Shop events.", "# Shop events.$0"), Options::default()).await;
        let uri = params["textDocument"]["uri"].clone();
        for method in ["textDocument/hover", "textDocument/completion", "textDocument/definition", "textDocument/documentHighlight", "textDocument/prepareRename"] {
            for (line, character) in [(9999, 0), (0, 9999), (u32::MAX, u32::MAX)] {
                let result = client
                    .request(method, json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}))
                    .await;
                assert!(result.is_ok(), "{method} at {line}:{character}: {result:?}");
            }
        }
        client.change("events/shop.yaml", 2, (lsp_types_pos(999, 999), lsp_types_pos(u32::MAX, 5)), "# end\n").await;
        client.wait_diagnostics("events/shop.yaml", |p| p["version"] == 2).await;
        client.shutdown().await;
    });
}

#[test]
fn yaml_outside_plans_is_left_alone() {
    runtime().block_on(async {
        let fixture = Fixture::parse(&format!("{PLAN}//- ../elsewhere.yaml\nnot: [a plan\n"));
        let _ = fixture;
        let fixture = Fixture::parse(&format!("{PLAN}//- .github/workflow.yaml\nname: ci\n"));
        let client = Client::start(&fixture, Options::default()).await;
        client.open(".github/workflow.yaml").await;
        client.wait_diagnostics("trackplan.yaml", |_| true).await;
        let hover = client
            .request("textDocument/hover", json!({"textDocument": {"uri": client.uri(".github/workflow.yaml")}, "position": {"line": 0, "character": 1}}))
            .await
            .unwrap();
        assert_eq!(hover, Value::Null);
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(!client.diagnostics.lock().unwrap().contains_key(client.uri(".github/workflow.yaml").as_str()));
        client.shutdown().await;
    });
}

#[test]
fn files_changed_on_disk_are_followed() {
    runtime().block_on(async {
        let (client, _, _) = start(PLAN, Options::default()).await;
        client
            .wait_diagnostics("flows.yaml", |p| !has_code(p, "unknown-reference"))
            .await;
        // A closed file changes on disk: the client's watcher tells the server.
        let flows = std::fs::read_to_string(client.path("flows.yaml")).unwrap();
        std::fs::write(
            client.path("flows.yaml"),
            flows.replace("Order Completed", "Order Finished"),
        )
        .unwrap();
        client
            .notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": client.uri("flows.yaml"), "type": 2}]}),
            )
            .await;
        client
            .wait_diagnostics("flows.yaml", |p| has_code(p, "unknown-reference"))
            .await;
        // A new file is created.
        std::fs::write(
            client.path("events/more.yaml"),
            "events:\n  Order Finished:\n    description: Done.\n    owner: growth\n",
        )
        .unwrap();
        client
            .notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": client.uri("events/more.yaml"), "type": 1}]}),
            )
            .await;
        client
            .wait_diagnostics("flows.yaml", |p| !has_code(p, "unknown-reference"))
            .await;
        client.wait_diagnostics("events/more.yaml", |_| true).await;
        // And deleted: its diagnostics are cleared and the reference is unknown again.
        std::fs::remove_file(client.path("events/more.yaml")).unwrap();
        client
            .notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": client.uri("events/more.yaml"), "type": 3}]}),
            )
            .await;
        client
            .wait_diagnostics("flows.yaml", |p| has_code(p, "unknown-reference"))
            .await;
        client.shutdown().await;
    });
}

#[test]
fn plans_are_watched_by_polling_when_the_client_cannot_watch() {
    std::env::set_var("TRACKPLAN_LSP_POLL_MS", "50");
    runtime().block_on(async {
        let options = Options {
            watch: false,
            ..Options::default()
        };
        let (client, _, _) = start(PLAN, options).await;
        client
            .wait_diagnostics("flows.yaml", |p| !has_code(p, "unknown-reference"))
            .await;
        let flows = std::fs::read_to_string(client.path("flows.yaml")).unwrap();
        // Same length, so only the modification time and the content tell.
        std::fs::write(
            client.path("flows.yaml"),
            flows.replace("Order Completed", "Order Complete!"),
        )
        .unwrap();
        client
            .wait_diagnostics("flows.yaml", |p| has_code(p, "unknown-reference"))
            .await;
        client.shutdown().await;
    });
}

#[test]
fn open_documents_win_over_disk_and_closing_reverts() {
    runtime().block_on(async {
        let (client, fixture, _) = start(PLAN, Options::default()).await;
        let flows = &fixture
            .files
            .iter()
            .find(|(p, _)| p == "flows.yaml")
            .unwrap()
            .1;
        client
            .open_text(
                "flows.yaml",
                &flows.replace("Order Completed", "Order Unknown"),
                1,
            )
            .await;
        client
            .wait_diagnostics("flows.yaml", |p| {
                has_code(p, "unknown-reference") && p["version"] == 1
            })
            .await;
        client
            .notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": client.uri("flows.yaml")}}),
            )
            .await;
        client
            .wait_diagnostics("flows.yaml", |p| !has_code(p, "unknown-reference"))
            .await;
        client.shutdown().await;
    });
}

#[test]
fn exit_without_shutdown_stops_the_server() {
    runtime().block_on(async {
        let (client, _, _) = start(PLAN, Options::default()).await;
        client.notify("exit", Value::Null).await;
        let clean = tokio::time::timeout(common::TIMEOUT, client.server)
            .await
            .expect("stops")
            .unwrap();
        assert!(!clean, "exit without shutdown is not a clean exit");
    });
}

#[test]
fn requests_before_a_plan_loads_and_unknown_documents_answer_null() {
    runtime().block_on(async {
        let (client, _, _) = start(PLAN, Options::default()).await;
        let nowhere = json!({"textDocument": {"uri": "file:///nowhere/x.yaml"}, "position": {"line": 0, "character": 0}});
        assert_eq!(client.request("textDocument/hover", nowhere.clone()).await.unwrap(), Value::Null);
        assert_eq!(client.request("textDocument/completion", nowhere.clone()).await.unwrap(), Value::Null);
        let untitled = json!({"textDocument": {"uri": "untitled:Untitled-1"}, "position": {"line": 0, "character": 0}});
        assert_eq!(client.request("textDocument/definition", untitled).await.unwrap(), Value::Null);
        client.shutdown().await;
    });
}

#[test]
fn nested_plans_are_plans_of_their_own() {
    runtime().block_on(async {
        let fixture = format!(
            "{PLAN}//- vendor/other/trackplan.yaml\ntrackplan: 1\nname: Other\nflows:\n  f:\n    name: F\n    description: x.\n    steps: [Order Completed]\n"
        );
        let (client, _, _) = start(&fixture, Options::default()).await;
        // The nested plan does not see the outer plan's events.
        let nested = client
            .wait_diagnostics("vendor/other/trackplan.yaml", |p| has_code(p, "unknown-reference"))
            .await;
        assert!(render_diagnostics(&nested).contains("unknown event `Order Completed`"));
        client.wait_diagnostics("flows.yaml", |p| !has_code(p, "unknown-reference")).await;
        client.shutdown().await;
    });
}

#[test]
fn a_removed_plan_clears_its_diagnostics() {
    runtime().block_on(async {
        let plan = with(
            PLAN,
            "steps: [Product Viewed, Order Completed]",
            "steps: [Product Viewed, Nope]",
        );
        let (client, _, _) = start(&plan, Options::default()).await;
        client
            .wait_diagnostics("flows.yaml", |p| has_code(p, "unknown-reference"))
            .await;
        std::fs::remove_file(client.path("trackplan.yaml")).unwrap();
        client
            .notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": client.uri("trackplan.yaml"), "type": 3}]}),
            )
            .await;
        client
            .wait_diagnostics("flows.yaml", |p| render_diagnostics(p).is_empty())
            .await;
        client.shutdown().await;
    });
}

#[test]
fn crlf_documents_edit_and_answer_correctly() {
    runtime().block_on(async {
        let fixture = Fixture::parse(&PLAN.replace('\n', "\r\n").replace("//- ", "\n//- "));
        let fixture = Fixture {
            files: fixture
                .files
                .into_iter()
                .map(|(p, t)| (p.trim().to_string(), t.trim_start_matches(['\r', '\n']).to_string()))
                .collect(),
            cursor: None,
        };
        let client = Client::start(&fixture, Options::default()).await;
        client.open("flows.yaml").await;
        // Line 6 is the steps line; replace "Order Completed" (columns 28-43).
        client.change("flows.yaml", 2, (lsp_types_pos(6, 28), lsp_types_pos(6, 43)), "Order Complete").await;
        let flows = client.wait_diagnostics("flows.yaml", |p| p["version"] == 2).await;
        assert_eq!(
            render_diagnostics(&flows),
            "6:28-6:42 unknown-reference unknown event `Order Complete`"
        );
        let definition = client
            .request("textDocument/definition", json!({"textDocument": {"uri": client.uri("flows.yaml")}, "position": {"line": 6, "character": 15}}))
            .await
            .unwrap();
        assert_eq!(render_locations(&client, &definition), "events/shop.yaml 6:2-6:16");
        client.shutdown().await;
    });
}

#[test]
fn workspace_folders_come_and_go() {
    runtime().block_on(async {
        let plan = with(PLAN, "steps: [Product Viewed, Order Completed]", "steps: [Product Viewed, Nope]");
        let (client, _, _) = start(&plan, Options::default()).await;
        client.wait_diagnostics("flows.yaml", |p| has_code(p, "unknown-reference")).await;
        let folder = json!([{"uri": tower_lsp::lsp_types::Url::from_file_path(&client.root).unwrap(), "name": "test"}]);
        client
            .notify("workspace/didChangeWorkspaceFolders", json!({"event": {"added": [], "removed": folder}}))
            .await;
        client.wait_diagnostics("flows.yaml", |p| render_diagnostics(p).is_empty()).await;
        client
            .notify("workspace/didChangeWorkspaceFolders", json!({"event": {"added": folder, "removed": []}}))
            .await;
        client.wait_diagnostics("flows.yaml", |p| has_code(p, "unknown-reference")).await;
        client.shutdown().await;
    });
}

#[test]
fn completion_keeps_the_last_good_model_while_the_file_is_broken() {
    runtime().block_on(async {
        let (client, fixture, _) = start(PLAN, Options::default()).await;
        let text = fixture.files.iter().find(|(p, _)| p == "events/shop.yaml").unwrap().1.clone();
        client.open_text("events/shop.yaml", &text, 1).await;
        client.wait_diagnostics("events/shop.yaml", |p| p["version"] == 1).await;
        // A line to complete in, then a break above every event: the parser loses what follows.
        let at = position_of(&text, text.find("  Product Viewed:").unwrap());
        let line = lsp_types_pos(at.line + 1, 0);
        client.change("events/shop.yaml", 2, (line, line), "    replaced_by: \n").await;
        let top = lsp_types_pos(0, 0);
        client.change("events/shop.yaml", 3, (top, top), "bad: \"oops\n").await;
        let broken = client.wait_diagnostics("events/shop.yaml", |p| p["version"] == 3).await;
        assert!(has_code(&broken, "yaml-syntax"), "{broken:#}");
        let result = client
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": client.uri("events/shop.yaml")}, "position": {"line": at.line + 2, "character": 17}}),
            )
            .await
            .unwrap();
        let labels: Vec<&str> = result["items"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
        assert_eq!(labels, vec!["Signed Up", "Product Viewed", "Order Completed"]);
        client.shutdown().await;
    });
}

// ---------------------------------------------------------------------------------------------
// Code lens, document links, folding and selection ranges, pull diagnostics

/// The answer of a request on a file of the fixture (the file is opened first).
async fn request_on(client: &Client, path: &str, method: &str, mut params: Value) -> Value {
    client.open(path).await;
    params["textDocument"] = json!({"uri": client.uri(path)});
    client.request(method, params).await.unwrap()
}

/// The text a range covers in a file of the fixture.
fn text_of(fixture: &Fixture, path: &str, range: &Value) -> String {
    let text = &fixture.files.iter().find(|(p, _)| p == path).unwrap().1;
    let index = trackplan_core::LineIndex::new(text);
    let offset = |p: &Value| {
        index.offset(
            text,
            trackplan_core::LineCol {
                line: p["line"].as_u64().unwrap() as u32,
                col: p["character"].as_u64().unwrap() as u32,
            },
            trackplan_core::ColumnUnit::Utf16,
        )
    };
    text[offset(&range["start"])..offset(&range["end"])].to_string()
}

#[test]
fn code_lenses_count_what_uses_each_kpi_event_and_property() {
    runtime().block_on(async {
        let fixture = Fixture::parse(PLAN);
        let client = Client::start(&fixture, Options::default()).await;
        let mut shown = Vec::new();
        for path in ["trackplan.yaml", "events/shop.yaml", "properties.yaml", "flows.yaml"] {
            let lenses = request_on(&client, path, "textDocument/codeLens", json!({})).await;
            for lens in lenses.as_array().unwrap() {
                let command = &lens["command"];
                assert_eq!(command["command"], "trackplan.findReferences");
                // The arguments: the document and the name's start, what find-references takes.
                assert_eq!(command["arguments"][0], json!(client.uri(path)));
                assert_eq!(command["arguments"][1], lens["range"]["start"]);
                shown.push(format!(
                    "{path} {}: {}",
                    text_of(&fixture, path, &lens["range"]),
                    command["title"].as_str().unwrap()
                ));
            }
        }
        assert_eq!(
            shown,
            [
                "trackplan.yaml checkout-conversion: 1 flow · 2 events",
                "events/shop.yaml Signed Up: 0 flows · 0 KPIs",
                // A KPI named by the event and by its flow is counted once.
                "events/shop.yaml Product Viewed: 1 flow · 1 KPI",
                "events/shop.yaml Order Completed: 1 flow · 1 KPI",
                "properties.yaml platform: used by 1 event",
                "properties.yaml product_id: used by 2 events",
            ]
        );
        // What the lens's command does in the editor: find references at its position.
        let lenses = request_on(&client, "properties.yaml", "textDocument/codeLens", json!({})).await;
        let arguments = &lenses[1]["command"]["arguments"];
        let references = client
            .request(
                "textDocument/references",
                json!({"textDocument": {"uri": arguments[0]}, "position": arguments[1], "context": {"includeDeclaration": false}}),
            )
            .await
            .unwrap();
        let files: Vec<String> = references
            .as_array()
            .unwrap()
            .iter()
            .map(|l| rel(&client.root, l["uri"].as_str().unwrap()))
            .collect();
        assert_eq!(files, ["events/shop.yaml", "events/shop.yaml"]);
        client.shutdown().await;
    });
}

#[test]
fn code_lenses_follow_edits_in_other_files() {
    runtime().block_on(async {
        let fixture = Fixture::parse(PLAN);
        let client = Client::start(&fixture, Options::default()).await;
        client.open("flows.yaml").await;
        let flows = &fixture
            .files
            .iter()
            .find(|(p, _)| p == "flows.yaml")
            .unwrap()
            .1;
        let at = flows.find("Product Viewed, ").unwrap();
        let (start, end) = (
            position_of(flows, at),
            position_of(flows, at + "Product Viewed, ".len()),
        );
        client.change("flows.yaml", 2, (start, end), "").await;
        let lenses = request_on(
            &client,
            "events/shop.yaml",
            "textDocument/codeLens",
            json!({}),
        )
        .await;
        let titles: Vec<&str> = lenses
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["command"]["title"].as_str().unwrap())
            .collect();
        assert_eq!(
            titles,
            ["0 flows · 0 KPIs", "0 flows · 0 KPIs", "1 flow · 1 KPI"]
        );
        client.shutdown().await;
    });
}

#[test]
fn links_are_document_links() {
    let plan = with(
        PLAN,
        "  Signed Up:\n    description: Account created.\n",
        "  Signed Up:\n    description: Account created.\n    links:\n      dashboard: https://example.com/d/1\n      \"data review\": \"https://example.com/review?id=2\"\n      broken: not a url\n",
    );
    let plan = with(
        &plan,
        "  product_id:\n    type: string\n",
        "  product_id:\n    type: string\n    links: {spec: 'https://example.com/spec#product'}\n",
    );
    runtime().block_on(async {
        let fixture = Fixture::parse(&plan);
        let client = Client::start(&fixture, Options::default()).await;
        let mut shown = Vec::new();
        for path in ["events/shop.yaml", "properties.yaml", "flows.yaml"] {
            let links = request_on(&client, path, "textDocument/documentLink", json!({})).await;
            for link in links.as_array().unwrap() {
                shown.push(format!(
                    "{path} {:?} -> {} ({})",
                    text_of(&fixture, path, &link["range"]),
                    link["target"].as_str().unwrap(),
                    link["tooltip"].as_str().unwrap()
                ));
            }
        }
        assert_eq!(
            shown,
            [
                "events/shop.yaml \"https://example.com/d/1\" -> https://example.com/d/1 (dashboard)",
                "events/shop.yaml \"https://example.com/review?id=2\" -> https://example.com/review?id=2 (data review)",
                "properties.yaml \"https://example.com/spec#product\" -> https://example.com/spec#product (spec)",
            ]
        );
        client.shutdown().await;
    });
}

#[test]
fn folding_ranges_per_section_entity_and_property() {
    runtime().block_on(async {
        let fixture = Fixture::parse(PLAN);
        let client = Client::start(&fixture, Options::default()).await;
        let ranges = request_on(
            &client,
            "events/shop.yaml",
            "textDocument/foldingRange",
            json!({}),
        )
        .await;
        let shown: Vec<String> = ranges
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                format!(
                    "{}-{} {}",
                    r["startLine"],
                    r["endLine"],
                    r["collapsedText"].as_str().unwrap()
                )
            })
            .collect();
        // Lines: 0 comment, 1 `events:`, 2-5 Signed Up, 6-11 Product Viewed (11: product_id),
        // 12-19 Order Completed. One-line properties do not fold.
        assert_eq!(
            shown,
            [
                "1-19 events",
                "2-5 Signed Up",
                "6-11 Product Viewed",
                "12-19 Order Completed"
            ]
        );
        client.shutdown().await;
    });
}

#[test]
fn selection_ranges_grow_from_the_name_to_its_entity_section_and_file() {
    runtime().block_on(async {
        let fixture = Fixture::parse(PLAN);
        let client = Client::start(&fixture, Options::default()).await;
        let text = &fixture
            .files
            .iter()
            .find(|(p, _)| p == "events/shop.yaml")
            .unwrap()
            .1;
        let on_property = position_of(text, text.find("platform: optional").unwrap() + 2);
        let on_event = position_of(text, text.find("Product Viewed:").unwrap() + 3);
        let in_description = position_of(text, text.find("Account created").unwrap());
        let answer = request_on(
            &client,
            "events/shop.yaml",
            "textDocument/selectionRange",
            json!({"positions": [on_property, on_event, in_description]}),
        )
        .await;
        let chains: Vec<Vec<String>> = answer
            .as_array()
            .unwrap()
            .iter()
            .map(|mut range| {
                let mut chain = Vec::new();
                loop {
                    let covered = text_of(&fixture, "events/shop.yaml", &range["range"]);
                    chain.push(covered.lines().next().unwrap_or("").trim().to_string());
                    match range.get("parent") {
                        Some(parent) if !parent.is_null() => range = parent,
                        _ => break,
                    }
                }
                chain
            })
            .collect();
        assert_eq!(
            chains,
            [
                // Property name, the property, its event, the section, the file.
                vec![
                    "platform",
                    "platform: optional",
                    "Order Completed:",
                    "events:",
                    "# Shop events."
                ],
                vec![
                    "Product Viewed",
                    "Product Viewed:",
                    "events:",
                    "# Shop events."
                ],
                vec!["Signed Up:", "events:", "# Shop events."],
            ]
        );
        // Each range holds the one before it (what the protocol asks of a parent).
        let at = |p: &Value| {
            (
                p["line"].as_u64().unwrap(),
                p["character"].as_u64().unwrap(),
            )
        };
        for mut range in answer.as_array().unwrap().iter() {
            while let Some(parent) = range.get("parent").filter(|p| !p.is_null()) {
                assert!(at(&parent["range"]["start"]) <= at(&range["range"]["start"]));
                assert!(at(&range["range"]["end"]) <= at(&parent["range"]["end"]));
                range = parent;
            }
        }
        client.shutdown().await;
    });
}

/// The published diagnostics of every file, as the pull requests must give them.
fn by_file(
    client: &Client,
    items: impl Iterator<Item = (String, Value)>,
) -> BTreeMap<String, Value> {
    items
        .map(|(uri, list)| (rel(&client.root, &uri), list))
        .filter(|(_, list)| list.as_array().is_some_and(|l| !l.is_empty()))
        .collect()
}

#[test]
fn pulled_diagnostics_equal_the_pushed_ones() {
    let plan = with(
        PLAN,
        "steps: [Product Viewed, Order Completed]",
        "steps: [Product Viewed, Order Complted]",
    );
    let plan = with(&plan, "    description: Account created.\n", "");
    runtime().block_on(async {
        let fixture = Fixture::parse(&plan);
        // A client that takes pushed diagnostics.
        let pushed_client = Client::start(&fixture, Options::default()).await;
        pushed_client.open("flows.yaml").await;
        pushed_client
            .wait_diagnostics("flows.yaml", |p| has_code(p, "unknown-reference"))
            .await;
        pushed_client
            .wait_diagnostics("events/shop.yaml", |p| has_code(p, "missing-description"))
            .await;
        let pushed = by_file(
            &pushed_client,
            pushed_client
                .diagnostics
                .lock()
                .unwrap()
                .iter()
                .map(|(uri, p)| (uri.clone(), p["diagnostics"].clone()))
                .collect::<Vec<_>>()
                .into_iter(),
        );
        assert_eq!(pushed.len(), 2, "{pushed:#?}");
        // The same for one document, pulled, and the same for the workspace.
        let document = pushed_client
            .request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": pushed_client.uri("flows.yaml")}}),
            )
            .await
            .unwrap();
        assert_eq!(document["kind"], "full");
        assert_eq!(document["items"], pushed["flows.yaml"]);
        let workspace = pushed_client
            .request("workspace/diagnostic", json!({"previousResultIds": []}))
            .await
            .unwrap();
        let items = workspace["items"].as_array().unwrap();
        assert_eq!(items.len(), 4, "every file of the plan: {workspace:#}");
        let pulled = by_file(
            &pushed_client,
            items
                .iter()
                .map(|i| (i["uri"].as_str().unwrap().to_string(), i["items"].clone())),
        );
        assert_eq!(pulled, pushed);
        // The open file says its version; an unchanged file is answered as unchanged.
        let flows = items.iter().find(|i| i["uri"] == json!(pushed_client.uri("flows.yaml"))).unwrap();
        assert_eq!(flows["version"], 1);
        let again = pushed_client
            .request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": pushed_client.uri("flows.yaml")}, "previousResultId": document["resultId"]}),
            )
            .await
            .unwrap();
        assert_eq!(again["kind"], "unchanged");
        assert_eq!(again["resultId"], document["resultId"]);
        let previous: Vec<Value> = items
            .iter()
            .map(|i| json!({"uri": i["uri"], "value": i["resultId"]}))
            .collect();
        let workspace_again = pushed_client
            .request("workspace/diagnostic", json!({"previousResultIds": previous}))
            .await
            .unwrap();
        assert!(workspace_again["items"].as_array().unwrap().iter().all(|i| i["kind"] == "unchanged"));
        pushed_client.shutdown().await;
    });
}

async fn pull_flows(client: &Client) -> Value {
    client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": client.uri("flows.yaml")}}),
        )
        .await
        .unwrap()
}

#[test]
fn a_client_that_pulls_gets_nothing_pushed_and_is_asked_to_pull_after_disk_changes() {
    let plan = with(
        PLAN,
        "steps: [Product Viewed, Order Completed]",
        "steps: [Product Viewed, Order Complted]",
    );
    runtime().block_on(async {
        let fixture = Fixture::parse(&plan);
        let client = Client::start(
            &fixture,
            Options {
                pull: true,
                ..Options::default()
            },
        )
        .await;
        client.open("flows.yaml").await;
        let first = pull_flows(&client).await;
        assert!(first["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "unknown-reference"));
        // An edit: the pull answers for the new text.
        let flows = &fixture
            .files
            .iter()
            .find(|(p, _)| p == "flows.yaml")
            .unwrap()
            .1;
        let at = flows.find("Complted").unwrap();
        client
            .change(
                "flows.yaml",
                2,
                (
                    position_of(flows, at),
                    position_of(flows, at + "Complted".len()),
                ),
                "Completed",
            )
            .await;
        let second = pull_flows(&client).await;
        assert_eq!(second["items"], json!([]), "{second:#}");
        let refreshes = |seen: &[Value]| {
            seen.iter()
                .filter(|m| m["method"] == "workspace/diagnostic/refresh")
                .count()
        };
        let mut seen = Vec::new();
        // What a file shows changed with the edit: the client is asked to pull again, so that
        // files it is not editing show their new findings at once.
        let deadline = tokio::time::Instant::now() + common::TIMEOUT;
        while refreshes(&seen) == 0 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "no refresh request after an edit that changed the findings: {seen:#?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            seen.extend(client.drain().await);
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        seen.extend(client.drain().await);
        let after_the_edit = refreshes(&seen);
        // A file changed on disk: the client is asked to pull again.
        std::fs::write(
            client.path("events/shop.yaml"),
            "events:\n  Signed Up: {}\n",
        )
        .unwrap();
        client
            .notify(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": client.uri("events/shop.yaml"), "type": 2}]}),
            )
            .await;
        let deadline = tokio::time::Instant::now() + common::TIMEOUT;
        while refreshes(&seen) == after_the_edit {
            assert!(
                tokio::time::Instant::now() < deadline,
                "no refresh request: {seen:#?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            seen.extend(client.drain().await);
        }
        // Settle, then: nothing was ever pushed.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        seen.extend(client.drain().await);
        assert!(
            !seen
                .iter()
                .any(|m| m["method"] == "textDocument/publishDiagnostics"),
            "pushed to a client that pulls"
        );
        assert!(client.diagnostics.lock().unwrap().is_empty());
        client.shutdown().await;
    });
}
