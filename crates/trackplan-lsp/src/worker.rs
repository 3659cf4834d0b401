//! One thread for the analyses of plans.
//!
//! Re-reading a plan after a keystroke allocates and frees the model of a whole file. Done on one
//! thread, every analysis reuses the memory the previous one freed (the allocator keeps freed memory
//! per thread); spread over tokio's blocking pool, each thread would keep its own.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};

type Job = Box<dyn FnOnce() + Send>;

fn queue() -> &'static Mutex<mpsc::Sender<Job>> {
    static QUEUE: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (sender, receiver) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("trackplan-analysis".into())
            .spawn(move || {
                for job in receiver {
                    job();
                }
            })
            .expect("start the analysis thread");
        Mutex::new(sender)
    })
}

/// Runs `work` on the analysis thread. A panic in it is an `Err` with its message; the thread
/// lives on for the next job.
pub async fn run<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let outcome = catch_unwind(AssertUnwindSafe(work)).map_err(panic_message);
        let _ = done.send(outcome);
    });
    let sent = queue()
        .lock()
        .map_err(|_| "the analysis queue is poisoned".to_string())?
        .send(job);
    if sent.is_err() {
        return Err("the analysis thread has stopped".to_string());
    }
    result
        .await
        .unwrap_or_else(|_| Err("the analysis was dropped".to_string()))
}

/// The message a panic was raised with.
pub(crate) fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn runs_jobs_and_survives_a_panic() {
        assert_eq!(super::run(|| 2 + 2).await, Ok(4));
        let failed = super::run(|| -> u8 { panic!("boom") }).await;
        assert_eq!(failed, Err("boom".to_string()));
        assert_eq!(super::run(|| "still here").await, Ok("still here"));
    }
}
