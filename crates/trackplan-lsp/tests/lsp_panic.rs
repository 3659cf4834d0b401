//! A panic inside one request answers that request with an error and the server keeps serving.
//! (Its own test binary: the panic is switched on through the environment of this process.)

mod common;

use common::{has_code, Client, Fixture, Options};
use serde_json::json;

const PLAN: &str = "
//- trackplan.yaml
trackplan: 1
name: Panics
events:
  Signed Up:
    description: Account created.
flows:
  signup:
    name: Sign-up
    description: Signing up.
    steps: [Signed Up]
";

#[test]
fn a_panicking_request_answers_an_error_and_the_server_lives_on() {
    std::env::set_var("TRACKPLAN_LSP_TEST_PANIC", "hover");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let fixture = Fixture::parse(PLAN);
        let client = Client::start(&fixture, Options::default()).await;
        client.open("trackplan.yaml").await;
        let at = json!({"textDocument": {"uri": client.uri("trackplan.yaml")}, "position": {"line": 9, "character": 14}});
        for _ in 0..3 {
            let error = client.request("textDocument/hover", at.clone()).await.unwrap_err();
            assert_eq!(error["code"], -32603, "an internal error: {error}");
            assert!(error["message"].as_str().unwrap().contains("hover failed"));
            // Other requests still work, and so do edits and diagnostics.
            let definition = client.request("textDocument/definition", at.clone()).await.unwrap();
            assert_eq!(definition["range"]["start"]["line"], 3);
        }
        let line = tower_lsp::lsp_types::Position::new(9, 12);
        let end = tower_lsp::lsp_types::Position::new(9, 21);
        client.change("trackplan.yaml", 2, (line, end), "Signed Upp").await;
        client
            .wait_diagnostics("trackplan.yaml", |p| has_code(p, "unknown-reference") && p["version"] == 2)
            .await;
        client.shutdown().await;
    });
}
