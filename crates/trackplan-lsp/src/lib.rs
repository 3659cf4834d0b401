//! The trackplan language server, started by `trackplan lsp`.
//!
//! A thin adapter over `trackplan-core`: documents are ropes edited incrementally
//! ([`document`]), each plan of the workspace is read with the core's own entry points
//! (`parse_file`, `Plan::new`, `check`, `Symbols`) in [`world`], and each LSP feature is one module
//! that turns the core's answers into LSP types. Diagnostics are exactly those of `trackplan check`.
//! Logs go to stderr through `tracing`; stdout carries only the protocol.

pub mod baseline;
pub mod code_action;
pub mod completion;
pub mod convert;
pub mod diagnostics;
pub mod discover;
pub mod document;
pub mod highlight;
pub mod hover;
pub mod lens;
pub mod links;
pub mod navigation;
pub mod ranges;
pub mod rename;
pub mod server;
pub mod symbols;
pub mod transport;
pub mod worker;
pub mod world;

pub use server::Server;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::Notify;
use tower_lsp::jsonrpc::{Request, Response};
use tower_lsp::{ClientSocket, LspService};

/// The service and its client socket, for running the server over any transport (tests use an
/// in-memory pipe).
pub fn service() -> (LspService<Server>, ClientSocket) {
    let shutdown = Arc::new(AtomicBool::new(false));
    LspService::new(move |client| Server::new(client, shutdown.clone()))
}

/// Wraps the service: notices `exit` at once (tower-lsp itself only stops reading at the next
/// message, which may never come), and smooths over what tower-lsp 0.20 gets wrong: `"params":
/// null` is read as no params (so `shutdown` with it is accepted), and a request whose method
/// starts with `$/` that nothing handles gets `-32601` like any unknown request (tower-lsp drops
/// it without an answer, which the protocol allows for notifications only).
struct Protocol<S> {
    inner: S,
    exited: Arc<Notify>,
}

type BoxedResponse<E> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Option<Response>, E>> + Send>>;

impl<S> tower_service::Service<Request> for Protocol<S>
where
    S: tower_service::Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = BoxedResponse<S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let exit = request.method() == "exit";
        let request = without_null_params(request);
        let unanswered_dollar = request
            .method()
            .starts_with("$/")
            .then(|| request.id().cloned());
        let future = self.inner.call(request);
        if exit {
            self.exited.notify_one();
        }
        Box::pin(async move {
            let response = future.await?;
            Ok(match (response, unanswered_dollar) {
                (None, Some(Some(id))) => Some(Response::from_error(
                    id,
                    tower_lsp::jsonrpc::Error::method_not_found(),
                )),
                (response, _) => response,
            })
        })
    }
}

/// `"params": null` as no params at all.
fn without_null_params(request: Request) -> Request {
    if request.params() != Some(&serde_json::Value::Null) {
        return request;
    }
    let (method, id, _) = request.into_parts();
    let builder = Request::build(method);
    match id {
        Some(id) => builder.id(id).finish(),
        None => builder.finish(),
    }
}

/// Serves the protocol on a pair of streams until `exit` (or the end of the input); returns whether
/// the client asked to shut down first. The input goes through [`transport`], which answers and
/// skips frames tower-lsp could not read.
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Send + 'static,
{
    let shutdown = Arc::new(AtomicBool::new(false));
    let flag = shutdown.clone();
    let (service, socket) = LspService::new(move |client| Server::new(client, flag.clone()));
    let exited = Arc::new(Notify::new());
    let service = Protocol {
        inner: service,
        exited: exited.clone(),
    };
    // Client -> framing layer -> tower-lsp -> one writer <- error replies of the framing layer.
    let (to_server, server_input) = tokio::io::duplex(1 << 16);
    let (server_output, from_server) = tokio::io::duplex(1 << 16);
    let (frames, pending) = tokio::sync::mpsc::unbounded_channel();
    let reader = tokio::spawn(transport::read_input(input, to_server, frames.clone()));
    let forwarder = tokio::spawn(transport::forward_output(from_server, frames));
    let writer = tokio::spawn(transport::write_output(output, pending));
    tokio::select! {
        _ = tower_lsp::Server::new(server_input, server_output, socket).serve(service) => {}
        _ = exited.notified() => {}
    }
    // What tower-lsp wrote before it stopped still reaches the client (briefly waited for: the
    // client may have stopped reading).
    reader.abort();
    let drained = async {
        let _ = forwarder.await;
        let _ = writer.await;
    };
    let _ = tokio::time::timeout(std::time::Duration::from_millis(500), drained).await;
    server::clean_exit(&shutdown)
}

/// Logs to stderr; `TRACKPLAN_LOG` sets the filter (`info` by default).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TRACKPLAN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
    std::panic::set_hook(Box::new(|info| {
        tracing::error!("panic: {info}");
    }));
}

/// Runs the server on stdin and stdout until `exit`; the process exit code (0 after a shutdown
/// request, 1 without one, as the protocol asks).
pub fn run_stdio() -> std::io::Result<i32> {
    init_logging();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("trackplan-lsp")
        // Few blocking tasks run at once (requests, one analysis, the stdin reader); a small pool
        // keeps the allocator's per-thread caches few.
        .max_blocking_threads(4)
        .build()?;
    let clean = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // The stdin reader blocks a thread; do not wait for it.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    Ok(if clean { 0 } else { 1 })
}
