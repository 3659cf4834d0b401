//! Links to the repository's web view: where an entity is defined (`file:line`) and what a commit
//! changed, from `--repo-url` or the git remote's URL.

use crate::data::SourceLinks;

/// The web view of a repository.
///
/// `url` is either a template holding `{path}` (and optionally `{line}`), used as given for files,
/// or a repository URL as a remote names it (`https://github.com/o/r.git`, `git@github.com:o/r.git`,
/// `ssh://git@host/o/r`), turned into the host's usual page addresses at revision `rev`. A URL
/// that is no web address (a local path, `file://`) gives no links. Credentials in a remote URL are
/// never kept.
pub fn source_links(url: &str, rev: &str) -> Option<SourceLinks> {
    let url = url.trim();
    if url.contains("{path}") {
        return Some(SourceLinks {
            file: url.to_string(),
            commit: None,
            dir: String::new(),
        });
    }
    let base = web_base(url)?;
    let host = base
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let rev = encode_rev(rev);
    let (file, commit) = if host.contains("bitbucket") {
        (
            format!("{base}/src/{rev}/{{path}}#lines-{{line}}"),
            format!("{base}/commits/{{id}}"),
        )
    } else if host.contains("gitlab") {
        (
            format!("{base}/-/blob/{rev}/{{path}}#L{{line}}"),
            format!("{base}/-/commit/{{id}}"),
        )
    } else {
        (
            format!("{base}/blob/{rev}/{{path}}#L{{line}}"),
            format!("{base}/commit/{{id}}"),
        )
    };
    Some(SourceLinks {
        file,
        commit: Some(commit),
        dir: String::new(),
    })
}

/// `https://host/owner/repo` for a remote URL, without credentials, port of an ssh URL, `.git` or a
/// trailing slash.
fn web_base(url: &str) -> Option<String> {
    if url.contains('\\') {
        return None;
    }
    let (scheme, rest, ssh) = if let Some(rest) = url.strip_prefix("https://") {
        ("https", rest, false)
    } else if let Some(rest) = url.strip_prefix("http://") {
        ("http", rest, false)
    } else if let Some(rest) = url
        .strip_prefix("ssh://")
        .or_else(|| url.strip_prefix("git+ssh://"))
        .or_else(|| url.strip_prefix("git://"))
    {
        ("https", rest, true)
    } else if let Some((user_host, path)) = url.split_once(':') {
        // scp-like `git@host:owner/repo`: no scheme, no slash before the colon (and not a
        // Windows drive letter).
        if user_host.contains('/') || user_host.len() < 2 || path.starts_with("//") {
            return None;
        }
        let host = user_host.rsplit('@').next()?;
        return join(scheme_host("https", host), path);
    } else {
        return None;
    };
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = authority.rsplit('@').next()?;
    // An ssh port is no web port.
    let host = if ssh { host.split(':').next()? } else { host };
    join(scheme_host(scheme, host), path)
}

fn scheme_host(scheme: &str, host: &str) -> Option<String> {
    let valid = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    valid.then(|| format!("{scheme}://{host}"))
}

fn join(base: Option<String>, path: &str) -> Option<String> {
    let base = base?;
    let path = path.trim_matches('/');
    let path = path
        .strip_suffix(".git")
        .unwrap_or(path)
        .trim_end_matches('/');
    if path.is_empty() {
        return None;
    }
    Some(format!("{base}/{path}"))
}

/// A branch name or commit id as a URL path (branch names keep their `/`).
fn encode_rev(rev: &str) -> String {
    let mut out = String::with_capacity(rev.len());
    for byte in rev.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(url: &str) -> Option<String> {
        source_links(url, "main").map(|l| l.file)
    }

    #[test]
    fn remotes_become_web_pages() {
        let github = "https://github.com/acme/plan/blob/main/{path}#L{line}";
        assert_eq!(
            file("https://github.com/acme/plan.git").as_deref(),
            Some(github)
        );
        assert_eq!(
            file("https://github.com/acme/plan/").as_deref(),
            Some(github)
        );
        assert_eq!(
            file("git@github.com:acme/plan.git").as_deref(),
            Some(github)
        );
        assert_eq!(
            file("ssh://git@github.com:22/acme/plan.git").as_deref(),
            Some(github)
        );
        assert_eq!(
            file("https://x-access-token:secret@github.com/acme/plan.git").as_deref(),
            Some(github),
            "credentials are dropped"
        );
        assert_eq!(
            file("git@gitlab.com:group/sub/plan.git").as_deref(),
            Some("https://gitlab.com/group/sub/plan/-/blob/main/{path}#L{line}")
        );
        assert_eq!(
            file("https://bitbucket.org/acme/plan.git").as_deref(),
            Some("https://bitbucket.org/acme/plan/src/main/{path}#lines-{line}")
        );
        assert_eq!(
            source_links("https://github.com/acme/plan", "main")
                .unwrap()
                .commit
                .as_deref(),
            Some("https://github.com/acme/plan/commit/{id}")
        );
    }

    #[test]
    fn local_remotes_give_no_links() {
        assert_eq!(file("/srv/git/plan.git"), None);
        assert_eq!(file("file:///srv/git/plan.git"), None);
        assert_eq!(file("../plan"), None);
        assert_eq!(file("C:\\repos\\plan"), None);
        assert_eq!(file("https://github.com/"), None);
    }

    #[test]
    fn templates_are_kept_and_revisions_encoded() {
        assert_eq!(
            file("https://code.example/{path}?line={line}").as_deref(),
            Some("https://code.example/{path}?line={line}")
        );
        assert_eq!(
            source_links("https://github.com/acme/plan", "feature/new plan")
                .unwrap()
                .file,
            "https://github.com/acme/plan/blob/feature/new%20plan/{path}#L{line}"
        );
    }
}
