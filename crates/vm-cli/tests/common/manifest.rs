//! The manifest lines a program of `tests/guest/` may start with (its arguments,
//! environment, stdin, compiler flags, how it is linked), read by every test that
//! builds that corpus. The keys are listed in `guest_programs.rs`.

use std::fs;
use std::path::Path;

/// What a guest program's manifest says; the defaults when it has none.
#[derive(Clone, Debug, Default)]
pub struct Manifest {
    pub args: Vec<String>,
    pub env: Vec<String>,
    pub unset: Vec<String>,
    pub stdin: Option<Vec<u8>>,
    pub cflags: Vec<String>,
    pub ldflags: Vec<String>,
    pub pie: bool,
    pub dynamic: bool,
    pub ldso: bool,
    pub shlibs: Vec<String>,
}

/// Splits on spaces; double quotes group words and may produce an empty argument.
pub fn split_args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut in_quotes, mut have) = (false, false);
    for c in s.chars() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                have = true;
            }
            ' ' | '\t' if !in_quotes => {
                if have {
                    out.push(std::mem::take(&mut cur));
                    have = false;
                }
            }
            _ => {
                cur.push(c);
                have = true;
            }
        }
    }
    if have {
        out.push(cur);
    }
    out
}

fn unescape(s: &str) -> Vec<u8> {
    s.replace("\\n", "\n").replace("\\t", "\t").into_bytes()
}

pub fn parse_manifest(path: &Path) -> Manifest {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut m = Manifest::default();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("// ") else {
            break;
        };
        let Some((key, value)) = rest.split_once(": ") else {
            break;
        };
        match key {
            "args" => m.args = split_args(value),
            "env" => m.env.push(value.to_string()),
            "unset" => m.unset.push(value.to_string()),
            "stdin" => m.stdin = Some(unescape(value)),
            "cflags" => m.cflags.extend(value.split_whitespace().map(String::from)),
            "ldflags" => m.ldflags.extend(value.split_whitespace().map(String::from)),
            "pie" => m.pie = value.trim() == "yes",
            "link" => match value.trim() {
                "dynamic" => m.dynamic = true,
                "static" => m.dynamic = false,
                other => panic!(
                    "{}: `link: {other}`: expected dynamic or static",
                    path.display()
                ),
            },
            "ldso" => m.ldso = value.trim() == "yes",
            "shlib" => m.shlibs.push(value.trim().to_string()),
            other => panic!("{}: unknown manifest key `{other}`", path.display()),
        }
    }
    m
}
