//! The core file's name, from the host's `kernel.core_pattern` as Linux's
//! `format_corename` expands a plain (non-pipe) pattern.

/// What the pattern's `%` specifiers expand to.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub pid: i32,
    pub tid: i32,
    pub uid: u32,
    pub gid: u32,
    pub sig: i32,
    /// Seconds since the epoch.
    pub time: u64,
    pub hostname: Vec<u8>,
    /// The dying thread's command name (`comm`).
    pub comm: Vec<u8>,
    /// The executable's path.
    pub exe: Vec<u8>,
    /// The soft `RLIMIT_CORE`.
    pub limit: u64,
    /// The `PR_GET_DUMPABLE` mode.
    pub dumpable: u32,
}

/// The name a core is written under, relative to the working directory unless it
/// starts with `/`; None if there is none: an empty pattern, or a pipe pattern (`|...`,
/// a crash handler such as apport or systemd-coredump, which vm cannot feed; Linux
/// would write no file either). Without `%p` in a plain pattern, `uses_pid`
/// (`kernel.core_uses_pid`) appends `.PID`.
pub fn core_name(pattern: &[u8], uses_pid: bool, f: &Facts) -> Option<Vec<u8>> {
    if pattern.first() == Some(&b'|') {
        return None;
    }
    let mut out = Vec::new();
    let mut pid_in_pattern = false;
    let mut chars = pattern.iter().copied();
    while let Some(c) = chars.next() {
        if c != b'%' {
            out.push(c);
            continue;
        }
        let Some(spec) = chars.next() else { break };
        let num = |out: &mut Vec<u8>, n: String| out.extend_from_slice(n.as_bytes());
        match spec {
            b'%' => out.push(b'%'),
            b'p' | b'P' => {
                pid_in_pattern = true;
                num(&mut out, f.pid.to_string())
            }
            b'i' | b'I' => num(&mut out, f.tid.to_string()),
            b'u' => num(&mut out, f.uid.to_string()),
            b'g' => num(&mut out, f.gid.to_string()),
            b'd' => num(&mut out, f.dumpable.to_string()),
            b's' => num(&mut out, f.sig.to_string()),
            b't' => num(&mut out, f.time.to_string()),
            b'c' => num(&mut out, f.limit.to_string()),
            b'h' => escaped(&mut out, &f.hostname),
            b'e' => escaped(&mut out, &f.comm),
            b'E' => escaped(&mut out, &f.exe),
            b'f' => {
                let base = f.exe.rsplit(|&b| b == b'/').next().unwrap_or(&[]);
                escaped(&mut out, base)
            }
            // Unknown specifiers expand to nothing, as in Linux.
            _ => {}
        }
    }
    if out.is_empty() {
        return None;
    }
    if uses_pid && !pid_in_pattern {
        out.extend_from_slice(format!(".{}", f.pid).as_bytes());
    }
    Some(out)
}

/// Appends `s` with each `/` made `!`, and a lone `.` or `..` made `!`/`!.`, so that a
/// substitution never names another directory (Linux's `cn_esc_printf`).
fn escaped(out: &mut Vec<u8>, s: &[u8]) {
    let at = out.len();
    out.extend(s.iter().map(|&b| if b == b'/' { b'!' } else { b }));
    if s == b"." || s == b".." {
        out[at] = b'!';
    }
}
