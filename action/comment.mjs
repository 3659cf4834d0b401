// The action's comment step: posts `trackplan diff --format markdown` on the pull request, or
// updates the comment it posted before (found by the hidden marker the Markdown starts with), so a
// pull request never gets a second one. Nothing is posted while the plan has not changed. Where the
// token may not comment (403: a pull request from a fork gets a read-only token), it warns and
// writes the diff to the job summary instead.
//
// Environment: DIFF_MARKDOWN and DIFF_JSON (files written by review.sh), GITHUB_TOKEN, and the
// runner's GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_EVENT_PATH and GITHUB_STEP_SUMMARY.
import * as fs from 'node:fs';

const MARKER = '<!-- trackplan-diff -->';
/** GitHub refuses comments longer than 65,536 characters. */
const MAX_BODY = 65_000;

const env = (name) => {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set`);
  }
  return value;
};

const api = process.env.GITHUB_API_URL || 'https://api.github.com';
const repository = env('GITHUB_REPOSITORY');
const token = env('GITHUB_TOKEN');
const event = JSON.parse(fs.readFileSync(env('GITHUB_EVENT_PATH'), 'utf8'));
const number = event.pull_request?.number;
const markdown = fs.readFileSync(env('DIFF_MARKDOWN'), 'utf8');
const summary = JSON.parse(fs.readFileSync(env('DIFF_JSON'), 'utf8')).summary;
const changed = summary.breaking + summary.dangerous + summary.safe > 0;

class HttpError extends Error {
  constructor(status, method, url, text) {
    super(`${method} ${url}: ${status} ${text}`);
    this.status = status;
  }
}

async function request(method, path, body) {
  const url = new URL(path, api.endsWith('/') ? api : `${api}/`);
  const response = await fetch(url, {
    method,
    headers: {
      Accept: 'application/vnd.github+json',
      Authorization: `Bearer ${token}`,
      'X-GitHub-Api-Version': '2022-11-28',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new HttpError(response.status, method, url.pathname, text.slice(0, 300));
  }
  return text === '' ? null : JSON.parse(text);
}

/** The comment this action posted before on the pull request, if any. */
async function previousComment() {
  for (let page = 1; ; page += 1) {
    const comments = await request('GET', `repos/${repository}/issues/${number}/comments?per_page=100&page=${page}`);
    const ours = comments.find((comment) => typeof comment.body === 'string' && comment.body.startsWith(MARKER));
    if (ours !== undefined) {
      return ours;
    }
    if (comments.length < 100) {
      return undefined;
    }
  }
}

function bodyOf(text) {
  if (text.length <= MAX_BODY) {
    return text;
  }
  const note = '\n\n_The diff is too long for a comment; run `trackplan diff` or see the job summary for all of it._\n';
  return text.slice(0, MAX_BODY - note.length) + note;
}

function toJobSummary(reason) {
  console.log(`::warning title=trackplan::${reason}; the plan's diff is in the job summary`);
  if (process.env.GITHUB_STEP_SUMMARY) {
    fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
  }
}

async function main() {
  if (number === undefined) {
    console.log('trackplan: not a pull request; no comment');
    return;
  }
  try {
    const previous = await previousComment();
    const body = bodyOf(markdown);
    if (previous !== undefined) {
      if (previous.body === body) {
        console.log(`trackplan: the review comment is up to date (${previous.html_url ?? previous.id})`);
        return;
      }
      // Also when the plan no longer changes: the comment must not keep showing changes undone since.
      await request('PATCH', `repos/${repository}/issues/comments/${previous.id}`, { body });
      console.log(`trackplan: updated the review comment (${previous.html_url ?? previous.id})`);
    } else if (!changed) {
      console.log('trackplan: the plan did not change; no comment');
    } else {
      const created = await request('POST', `repos/${repository}/issues/${number}/comments`, { body });
      console.log(`trackplan: posted the review comment (${created?.html_url ?? created?.id})`);
    }
  } catch (error) {
    if (error instanceof HttpError && (error.status === 403 || error.status === 404)) {
      toJobSummary(
        `the token may not comment on this pull request (${error.status}; pull requests from forks get a read-only token)`,
      );
      return;
    }
    throw error;
  }
}

main().catch((error) => {
  console.log(`::error title=trackplan::posting the review comment failed: ${error.message}`);
  process.exit(1);
});
