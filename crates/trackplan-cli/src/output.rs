//! Where a command's output goes: standard output, buffered and streamed as it is produced.
//!
//! A closed pipe (`trackplan check | head -1`) is a normal end: the output stops quietly and the
//! command exits with the code it would have had. Any other write error (a full disk) is an error
//! with exit code 2. Nothing here panics, unlike `print!`.

use anyhow::Result;
use std::io::{self, Write};

/// Runs `write` on a buffered standard output and flushes it, turning a closed pipe into a quiet end.
pub fn to_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = write(&mut out).and_then(|()| out.flush());
    match written {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {
            // What is still buffered can never be written: drop it without a second attempt.
            let (_, _) = out.into_parts();
            Ok(())
        }
        Err(error) => {
            let _ = out.into_parts();
            Err(anyhow::anyhow!(
                "cannot write the output: {}",
                trackplan_fs::io_reason(&error)
            ))
        }
        Ok(()) => Ok(()),
    }
}

/// Writes a finished text to standard output (see [`to_stdout`]).
pub fn print(text: &str) -> Result<()> {
    to_stdout(|out| out.write_all(text.as_bytes()))
}

/// A message on standard error; a standard error that cannot be written is no reason to fail.
pub fn note(message: std::fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "{message}");
}

/// Writes a JSON document whose one big array is produced item by item, so that the whole document
/// is never held in memory. `envelope` holds the string `placeholder` where the array goes; the
/// result is byte for byte what `serde_json::to_string_pretty` gives for the complete document.
pub fn write_json_streaming<T: serde::Serialize>(
    out: &mut dyn Write,
    envelope: &serde_json::Value,
    placeholder: &str,
    items: impl Iterator<Item = T>,
) -> io::Result<()> {
    let text = serde_json::to_string_pretty(envelope).map_err(io::Error::other)?;
    let quoted = serde_json::to_string(placeholder).map_err(io::Error::other)?;
    let Some(at) = text.find(&quoted) else {
        return Err(io::Error::other("the JSON envelope has no placeholder"));
    };
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = text[line_start..at].len() - text[line_start..at].trim_start().len();
    let item_indent = " ".repeat(indent + 2);
    out.write_all(&text.as_bytes()[..at])?;
    let mut first = true;
    for item in items {
        let item = serde_json::to_string_pretty(&item).map_err(io::Error::other)?;
        out.write_all(if first { b"[\n" } else { b",\n" })?;
        first = false;
        // JSON strings never hold a raw line break, so every line of an item is re-indented.
        for (i, line) in item.split('\n').enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
            }
            out.write_all(item_indent.as_bytes())?;
            out.write_all(line.as_bytes())?;
        }
    }
    if first {
        out.write_all(b"[]")?;
    } else {
        write!(out, "\n{}]", " ".repeat(indent))?;
    }
    out.write_all(&text.as_bytes()[at + quoted.len()..])?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn streamed_json_is_what_serde_json_prints() {
        for items in [vec![], vec![json!({"a": 1, "b": [1, 2]}), json!("x\ny")]] {
            let whole = json!({"z": 1, "list": items.clone(), "runs": [{"k": {}}]});
            let envelope = json!({"z": 1, "list": "@items", "runs": [{"k": {}}]});
            let mut out = Vec::new();
            write_json_streaming(&mut out, &envelope, "@items", items.into_iter()).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string_pretty(&whole).unwrap() + "\n"
            );
            let nested = json!({"runs": [{"results": items_of(&whole)}]});
            let envelope = json!({"runs": [{"results": "@items"}]});
            let mut out = Vec::new();
            write_json_streaming(
                &mut out,
                &envelope,
                "@items",
                items_of(&whole).as_array().unwrap().clone().into_iter(),
            )
            .unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string_pretty(&nested).unwrap() + "\n"
            );
        }
    }

    fn items_of(value: &serde_json::Value) -> serde_json::Value {
        value["list"].clone()
    }
}
