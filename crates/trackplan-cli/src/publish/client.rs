//! A small blocking client of Mixpanel's Lexicon Schemas API: Service Account basic auth, the
//! documented rate limits (5 requests and 4,000 updated events and properties per minute), and
//! retries on 429, 5xx and dropped connections (waiting what `Retry-After` says, else backing off
//! from 1 s). The credentials only ever go into the `Authorization` header.

use base64::Engine as _;
use serde_json::Value;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Mixpanel's documented limits, per organisation and minute.
pub const REQUESTS_PER_WINDOW: usize = 5;
pub const UPDATES_PER_WINDOW: usize = 4000;
/// Attempts of one request before giving up (the first and three retries).
const ATTEMPTS: u32 = 4;
/// The longest `Retry-After` honoured; a longer one is an error rather than a silent long wait.
const LONGEST_WAIT: Duration = Duration::from_secs(300);

pub struct Credentials {
    pub username: String,
    pub secret: String,
}

impl Credentials {
    fn header(&self) -> String {
        let pair = format!("{}:{}", self.username, self.secret);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    }
}

/// Why a request did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// 401 or 403: the credentials are wrong or lack the rights.
    Refused { status: u16, body: String },
    /// Another answer that retrying will not change (400, 404, ...).
    Rejected { status: u16, body: String },
    /// 429, 5xx or no answer, still after every retry.
    GaveUp { last: String },
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Refused { status, body } => write!(
                f,
                "Mixpanel refused the credentials ({status}{}): check MIXPANEL_SERVICE_ACCOUNT_USERNAME, MIXPANEL_SERVICE_ACCOUNT_SECRET and the service account's access to the project",
                short(body)
            ),
            Failure::Rejected { status, body } => {
                write!(f, "Mixpanel rejected the request ({status}{})", short(body))
            }
            Failure::GaveUp { last } => write!(
                f,
                "no answer from Mixpanel after {ATTEMPTS} attempts (last: {last})"
            ),
        }
    }
}

/// `: <the body's first 200 characters>`, or nothing.
fn short(body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        return String::new();
    }
    let cut: String = body.chars().take(200).collect();
    let more = if cut.len() < body.len() { "..." } else { "" };
    format!(": {cut}{more}")
}

pub struct Client {
    agent: ureq::Agent,
    base: String,
    project: String,
    auth: String,
    /// Requests sent in the current window: when, and how many updates they carried.
    sent: VecDeque<(Instant, usize)>,
    window: Duration,
    /// What happened while waiting and retrying, for the terminal.
    pub on_wait: Box<dyn FnMut(String)>,
}

impl Client {
    pub fn new(base: &str, project: &str, credentials: &Credentials, window: Duration) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .user_agent(concat!("trackplan/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client {
            agent,
            base: base.trim_end_matches('/').to_string(),
            project: project.to_string(),
            auth: credentials.header(),
            sent: VecDeque::new(),
            window,
            on_wait: Box::new(|_| {}),
        }
    }

    pub fn schemas_url(base: &str, project: &str) -> String {
        format!(
            "{}/projects/{}/schemas",
            base.trim_end_matches('/'),
            project
        )
    }

    /// `GET /projects/{id}/schemas`: the current schemas, `results` of the answer.
    pub fn current_schemas(&mut self) -> Result<Vec<Value>, Failure> {
        let url = Client::schemas_url(&self.base, &self.project);
        let answer = self.request("GET", &url, None, 0)?;
        match answer.get("results") {
            Some(Value::Array(results)) => Ok(results.clone()),
            _ => Err(Failure::Rejected {
                status: 200,
                body: "the answer has no list of results".into(),
            }),
        }
    }

    /// `POST /projects/{id}/schemas` with a batch body carrying `updates` events and properties.
    pub fn post_batch(&mut self, body: &Value, updates: usize) -> Result<Value, Failure> {
        let url = Client::schemas_url(&self.base, &self.project);
        let text = serde_json::to_string(body).expect("JSON values serialize");
        self.request("POST", &url, Some(text), updates)
    }

    fn request(
        &mut self,
        method: &str,
        url: &str,
        body: Option<String>,
        updates: usize,
    ) -> Result<Value, Failure> {
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            self.wait_for_rate(updates);
            let result = match (method, &body) {
                ("POST", Some(text)) => self
                    .agent
                    .post(url)
                    .header("Authorization", &self.auth)
                    .header("Accept", "application/json")
                    .content_type("application/json")
                    .send(text.as_str()),
                _ => self
                    .agent
                    .get(url)
                    .header("Authorization", &self.auth)
                    .header("Accept", "application/json")
                    .call(),
            };
            // Counted from when it ended: Mixpanel may have received it at any time until then.
            self.sent.push_back((Instant::now(), updates));
            let retry_after = match result {
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let text = response.body_mut().read_to_string().unwrap_or_default();
                    match status {
                        200..=299 => {
                            return serde_json::from_str(&text).map_err(|_| Failure::Rejected {
                                status,
                                body: format!("an answer that is not JSON: {text}"),
                            })
                        }
                        401 | 403 => return Err(Failure::Refused { status, body: text }),
                        429 | 500..=599 => {
                            last = format!("{status}{}", short(&text));
                            retry_after
                        }
                        _ => return Err(Failure::Rejected { status, body: text }),
                    }
                }
                Err(error) => {
                    last = error.to_string();
                    None
                }
            };
            if attempt == ATTEMPTS {
                break;
            }
            let wait = retry_after.unwrap_or(Duration::from_secs(1 << (attempt - 1)));
            if wait > LONGEST_WAIT {
                return Err(Failure::GaveUp {
                    last: format!("{last}; Mixpanel asked to wait {} s", wait.as_secs()),
                });
            }
            (self.on_wait)(format!(
                "{last}; trying again in {} s",
                wait.as_secs_f64().ceil() as u64
            ));
            std::thread::sleep(wait);
        }
        Err(Failure::GaveUp { last })
    }

    /// Sleeps until one more request carrying `updates` keeps within the limits of the window.
    fn wait_for_rate(&mut self, updates: usize) {
        loop {
            let now = Instant::now();
            while self
                .sent
                .front()
                .is_some_and(|(at, _)| now.duration_since(*at) >= self.window)
            {
                self.sent.pop_front();
            }
            let used: usize = self.sent.iter().map(|(_, n)| n).sum();
            let fits_requests = self.sent.len() < REQUESTS_PER_WINDOW;
            let fits_updates = used + updates <= UPDATES_PER_WINDOW || self.sent.is_empty();
            if fits_requests && fits_updates {
                return;
            }
            let (oldest, _) = self.sent.front().copied().expect("the window is not empty");
            let wait = self.window.saturating_sub(now.duration_since(oldest));
            (self.on_wait)(format!(
                "waiting {:.0} s for Mixpanel's rate limit",
                wait.as_secs_f64().ceil()
            ));
            std::thread::sleep(wait);
        }
    }
}
