//! Embeds the plan templates of `plans/` in the binary, for `trackplan init`.

use std::path::{Path, PathBuf};

fn main() {
    let plans = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans");
    println!("cargo:rerun-if-changed={}", plans.display());
    let mut templates: Vec<(String, Vec<(String, PathBuf)>)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&plans) {
        let mut dirs: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        for dir in dirs {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let mut files = Vec::new();
            collect(&dir, &dir, &mut files);
            files.sort();
            templates.push((name, files));
        }
    }
    let mut code = String::from("/// The templates: name, then (relative path, contents) of each file.\npub static TEMPLATES: &[(&str, &[(&str, &str)])] = &[\n");
    for (name, files) in &templates {
        code.push_str(&format!("    ({name:?}, &[\n"));
        for (relative, path) in files {
            println!("cargo:rerun-if-changed={}", path.display());
            code.push_str(&format!(
                "        ({relative:?}, include_str!({:?})),\n",
                path.canonicalize().unwrap()
            ));
        }
        code.push_str("    ]),\n");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("templates.rs");
    std::fs::write(out, code).unwrap();
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((relative, path));
        }
    }
}
