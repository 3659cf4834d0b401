//! The trackplan language server, started by `trackplan lsp`.
//!
//! A thin adapter over `trackplan-core`: documents are ropes edited incrementally
//! ([`document`]), each plan of the workspace is read with the core's own entry points
//! (`parse_file`, `Plan::new`, `check`, `Symbols`) in [`world`], and each LSP feature is one module
//! that turns the core's answers into LSP types. Diagnostics are exactly those of `trackplan check`.
//! Logs go to stderr through `tracing`; stdout carries only the protocol.

pub mod code_action;
pub mod completion;
pub mod convert;
pub mod diagnostics;
pub mod discover;
pub mod document;
pub mod highlight;
pub mod hover;
pub mod navigation;
pub mod rename;
pub mod server;
pub mod symbols;
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

/// Wraps the service to notice `exit` at once: tower-lsp itself only stops reading at the next
/// message, which may never come.
struct ExitWatch<S> {
    inner: S,
    exited: Arc<Notify>,
}

impl<S> tower_service::Service<Request> for ExitWatch<S>
where
    S: tower_service::Service<Request, Response = Option<Response>>,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let exit = request.method() == "exit";
        let future = self.inner.call(request);
        if exit {
            self.exited.notify_one();
        }
        future
    }
}

/// Serves the protocol on a pair of streams until `exit` (or the end of the input); returns whether
/// the client asked to shut down first.
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let shutdown = Arc::new(AtomicBool::new(false));
    let flag = shutdown.clone();
    let (service, socket) = LspService::new(move |client| Server::new(client, flag.clone()));
    let exited = Arc::new(Notify::new());
    let service = ExitWatch {
        inner: service,
        exited: exited.clone(),
    };
    tokio::select! {
        _ = tower_lsp::Server::new(input, output, socket).serve(service) => {}
        _ = exited.notified() => {}
    }
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
