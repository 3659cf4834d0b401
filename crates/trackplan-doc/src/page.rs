//! The HTML page: a shell holding the styles, the data and the script inline.
//!
//! The page's Content-Security-Policy allows nothing to be loaded: no script, style, image, font or
//! connection from anywhere, except the server-sent events of `trackplan doc --serve`. So the page
//! cannot make a request even if a plan's text tried to smuggle markup in (the script builds the
//! page with DOM calls, never from the plan's text as HTML).

use crate::data::Data;

const SHELL: &str = include_str!("../assets/shell.html");
const STYLE: &str = include_str!("../assets/style.css");
const SCRIPT: &str = include_str!("../assets/app.js");

/// The page for the data.
pub fn html(data: &Data) -> String {
    let json = script_json(&serde_json::to_string(data).expect("page data serializes"));
    let title = match &data.plan.name {
        Some(name) => format!("{name} · tracking plan"),
        None => "Tracking plan".to_string(),
    };
    let connect = if data.live.is_some() {
        "connect-src 'self'"
    } else {
        "connect-src 'none'"
    };
    let csp = format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; \
         {connect}; base-uri 'none'; form-action 'none'"
    );
    fill(
        SHELL,
        &[
            ("csp", &escape_attribute(&csp)),
            ("title", &escape_text(&title)),
            ("style", STYLE),
            ("data", &json),
            ("script", SCRIPT),
        ],
    )
}

/// Replaces `{{name}}` markers of the template, in one pass (a value holding a marker stays as is).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let extra: usize = values.iter().map(|(_, v)| v.len()).sum();
    let mut out = String::with_capacity(template.len() + extra);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = &after[..end];
                match values.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push_str("{{");
                        out.push_str(name);
                        out.push_str("}}");
                    }
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// JSON that can stand inside `<script type="application/json">`: no `<`, `>` or `&` that could
/// end the element or start a comment, whatever the plan's text holds.
fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn escape_attribute(text: &str) -> String {
    escape_text(text).replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_filled_once() {
        assert_eq!(
            fill("a{{x}}b{{y}}c{{z}}", &[("x", "{{y}}"), ("y", "2")]),
            "a{{y}}b2c{{z}}"
        );
        assert_eq!(fill("open {{ end", &[]), "open {{ end");
    }

    #[test]
    fn json_cannot_close_the_script_element() {
        let json = serde_json::to_string("</script><!-- & \u{2028}").unwrap();
        let safe = script_json(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "</script><!-- & \u{2028}");
    }
}
