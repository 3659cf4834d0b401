//! Which files form a plan. One pure function decides, so the filesystem walk (CLI, language server)
//! and the git-tree walk (history) always agree.
//!
//! A plan is the folder holding `trackplan.yaml`; its files are that file and every `*.yaml`/`*.yml`
//! below it, except in hidden folders (and hidden files), in folders that hold their own
//! `trackplan.yaml` (a nested plan), paths git ignores and anything reached through a symlink. The last
//! two need IO and are the walker's to skip; everything else is decided here.

/// Why a path is or is not part of a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Membership {
    Belongs,
    NotYaml,
    Hidden,
    /// Inside a folder that holds its own `trackplan.yaml`.
    NestedPlan,
}

/// Classifies `path` (relative to the plan folder, `/`-separated). `holds_root_file(dir)` says whether
/// a folder (relative to the plan folder, never `""`) holds a `trackplan.yaml`.
pub fn classify(path: &str, holds_root_file: impl Fn(&str) -> bool) -> Membership {
    let components: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    let Some((file, dirs)) = components.split_last() else {
        return Membership::NotYaml;
    };
    if components.iter().any(|c| c.starts_with('.')) {
        return Membership::Hidden;
    }
    if !(file.ends_with(".yaml") || file.ends_with(".yml")) {
        return Membership::NotYaml;
    }
    let mut dir = String::new();
    for component in dirs {
        if !dir.is_empty() {
            dir.push('/');
        }
        dir.push_str(component);
        if holds_root_file(&dir) {
            return Membership::NestedPlan;
        }
    }
    Membership::Belongs
}

/// Whether `path` is one of the plan's files.
pub fn belongs_to_plan(path: &str, holds_root_file: impl Fn(&str) -> bool) -> bool {
    classify(path, holds_root_file) == Membership::Belongs
}

/// A file or folder name as the plan shows it: valid UTF-8 as it is, any other byte as `\xNN`. A
/// name that is not UTF-8 (`latin1-\xe9.yaml`) is still part of the plan; walkers read it by its
/// real name and show it by this one.
pub fn escaped_name(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether a walker should look inside a folder (relative to the plan folder) at all.
pub fn should_enter(dir: &str, holds_root_file: bool) -> bool {
    !holds_root_file && !dir.split('/').any(|c| c.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decides_membership() {
        let nested = |dir: &str| dir == "vendor/other";
        assert_eq!(classify("trackplan.yaml", nested), Membership::Belongs);
        assert_eq!(classify("events/checkout.yml", nested), Membership::Belongs);
        assert_eq!(classify("events/notes.md", nested), Membership::NotYaml);
        assert_eq!(
            classify(".github/workflow.yaml", nested),
            Membership::Hidden
        );
        assert_eq!(classify("events/.draft.yaml", nested), Membership::Hidden);
        assert_eq!(
            classify("vendor/other/events.yaml", nested),
            Membership::NestedPlan
        );
        assert_eq!(
            classify("vendor/other/trackplan.yaml", nested),
            Membership::NestedPlan
        );
        assert_eq!(classify("vendor/mine.yaml", nested), Membership::Belongs);
        assert!(!should_enter("a/.git", false));
        assert_eq!(escaped_name(b"latin1-\xe9.yaml"), "latin1-\\xe9.yaml");
        assert_eq!(escaped_name("café.yaml".as_bytes()), "café.yaml");
        assert_eq!(
            classify(&escaped_name(b"events/\xff\xfe.yml"), nested),
            Membership::Belongs
        );
        assert!(!should_enter("vendor/other", true));
    }
}
