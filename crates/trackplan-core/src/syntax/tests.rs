use super::*;

fn tree(text: &str) -> SyntaxTree {
    parse(FileId(0), text)
}

fn text_of(text: &str, span: Span) -> &str {
    &text[span.range()]
}

#[test]
fn keeps_duplicate_keys_and_spans_in_bytes() {
    let text = "é: 1\nb: [x, \"y z\"]\nb: 2\n";
    let t = tree(text);
    assert!(t.issues.is_empty(), "{:?}", t.issues);
    let root = t.root.unwrap();
    let entries = root.as_mapping().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(text_of(text, entries[0].key.span), "é");
    assert_eq!(text_of(text, entries[1].value.span), "[x, \"y z\"]");
    let items = entries[1].value.as_sequence().unwrap();
    assert_eq!(text_of(text, items[1].span), "\"y z\"");
    assert_eq!(items[1].as_str(), Some("y z"));
    assert_eq!(entries[2].key_str(), Some("b"));
}

#[test]
fn aliases_anchors_tags_and_merge_keys_are_recorded_not_expanded() {
    let text = "a: &x [1, 2]\nb: *x\nc: !!str 5\nd:\n  <<: *x\n";
    let t = tree(text);
    let kinds: Vec<_> = t
        .issues
        .iter()
        .map(|i| match i {
            SyntaxIssue::Unsupported { what, .. } => *what,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            Unsupported::Anchor,
            Unsupported::Alias,
            Unsupported::Tag,
            Unsupported::MergeKey,
            Unsupported::Alias
        ]
    );
    let root = t.root.unwrap();
    assert!(matches!(root.get("b").unwrap().value.kind, NodeKind::Alias));
}

#[test]
fn broken_yaml_keeps_what_was_read_before_the_error() {
    let text = "events:\n  Signed Up:\n    description: ok\n  Broken: [a\nnext: 1\n";
    let t = tree(text);
    let SyntaxIssue::Error { span, .. } = &t.issues[0] else {
        panic!("{:?}", t.issues)
    };
    let lines = crate::span::LineIndex::new(text);
    assert_eq!(lines.line_of(span.start as usize), 4);
    let root = t.root.unwrap();
    let events = root.get("events").unwrap().value.as_mapping().unwrap();
    assert_eq!(events[0].key_str(), Some("Signed Up"));
}

#[test]
fn nesting_is_bounded() {
    let text = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let t = tree(&text);
    assert!(t
        .issues
        .iter()
        .any(|i| matches!(i, SyntaxIssue::TooDeep { .. })));
}

#[test]
fn huge_files_are_not_parsed() {
    let text = "a: b\n".repeat(MAX_FILE_BYTES / 5 + 1);
    let t = tree(&text);
    assert!(t.root.is_none());
    assert!(matches!(t.issues[0], SyntaxIssue::TooLarge { .. }));
}

#[test]
fn scalars_resolve_under_the_core_schema() {
    use ScalarValue::*;
    let plain = |s| ScalarValue::resolve(s, ScalarStyle::Plain);
    assert_eq!(plain("404"), Int(404));
    assert_eq!(plain("-0x1"), Str("-0x1"));
    assert_eq!(plain("1.5e3"), Float(1500.0));
    assert_eq!(plain("~"), Null);
    assert_eq!(plain("True"), Bool(true));
    assert_eq!(plain("yes"), Str("yes"));
    assert_eq!(plain("1.2.3"), Str("1.2.3"));
    assert_eq!(
        ScalarValue::resolve("404", ScalarStyle::DoubleQuoted),
        Str("404")
    );
}

#[test]
fn names_are_quoted_only_when_yaml_needs_it() {
    assert_eq!(quote_if_needed("Order Completed"), "Order Completed");
    assert_eq!(quote_if_needed("404"), "\"404\"");
    assert_eq!(quote_if_needed("yes"), "\"yes\"");
    assert_eq!(quote_if_needed("a: b"), "\"a: b\"");
    assert_eq!(quote_if_needed("x, y"), "\"x, y\"");
    assert_eq!(quote_if_needed(" lead"), "\" lead\"");
    assert_eq!(quote_if_needed("say \"hi\" #1"), "\"say \\\"hi\\\" #1\"");
    assert_eq!(quote_if_needed("$email"), "$email");
    // Whatever we quote reads back as the same string.
    for name in [
        "404",
        "a: b",
        "x, y",
        "[x]",
        "#tag",
        "say \"hi\"",
        "tab\there",
        "~",
        "-",
    ] {
        let text = format!("{}: 1\n", quote_if_needed(name));
        let t = parse(FileId(0), &text);
        assert!(t.issues.is_empty(), "{name}: {:?}", t.issues);
        let root = t.root.unwrap();
        assert_eq!(root.as_mapping().unwrap()[0].key_str(), Some(name));
    }
}
