//! Running as a binfmt_misc interpreter.
//!
//! binfmt_misc starts the registered interpreter with the program's full path and no
//! options of ours, so the mode is chosen by the name vm is invoked under (a link to the
//! `vm` binary):
//! - `vm-binfmt`: registered with or without the `P` (preserve-argv0) flag. With `P`,
//!   Linux 5.12 and later set bit 0 of `AT_FLAGS` in the interpreter's auxiliary vector and
//!   pass `vm-binfmt FULLPATH ARGV0 ARGV1...`; without it, `vm-binfmt FULLPATH ARGV1...`
//!   and the guest's argv[0] is the full path (what Linux gives every interpreter).
//! - `vm-binfmt-p`: always reads the `P` layout, for kernels older than 5.12, which pass
//!   it without setting `AT_FLAGS`.
//!
//! The `F` (fix binary) flag only changes how the kernel finds vm, not what it passes;
//! guest execs of RISC-V programs re-execute vm through `/proc/self/exe`, which works
//! even where the registered path is not visible (a container).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// `AT_FLAGS` bit set by binfmt_misc's `P` flag (`AT_FLAGS_PRESERVE_ARGV0`).
const AT_FLAGS_PRESERVE_ARGV0: u64 = 1;

/// How vm was invoked, judged by the file name of its argv[0].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `vm run ...` and the other subcommands.
    Command,
    /// As a binfmt_misc interpreter; `true` if argv[0] of the program follows its path.
    Binfmt { preserve_argv0: bool },
}

pub fn mode(argv0: &Path) -> Mode {
    match argv0.file_name().and_then(|n| n.to_str()) {
        Some("vm-binfmt") => {
            // SAFETY: getauxval only reads the auxiliary vector.
            let at_flags = unsafe { libc::getauxval(libc::AT_FLAGS) };
            Mode::Binfmt {
                preserve_argv0: at_flags & AT_FLAGS_PRESERVE_ARGV0 != 0,
            }
        }
        Some("vm-binfmt-p") => Mode::Binfmt {
            preserve_argv0: true,
        },
        _ => Mode::Command,
    }
}

/// The program, its argv[0] and its other arguments, from what binfmt_misc passed after
/// our own argv[0].
pub fn invocation(
    args: &[OsString],
    preserve_argv0: bool,
) -> Result<(PathBuf, OsString, Vec<OsString>), String> {
    let Some((path, rest)) = args.split_first() else {
        return Err("started as a binfmt_misc interpreter without a program path".to_string());
    };
    let (argv0, rest) = match rest.split_first() {
        Some((argv0, rest)) if preserve_argv0 => (argv0.clone(), rest),
        _ => (path.clone(), rest),
    };
    Ok((PathBuf::from(path), argv0, rest.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn binfmt_arguments_follow_the_p_flag() {
        let (p, a0, rest) = invocation(&os(&["/bin/prog", "a", "b"]), false).unwrap();
        assert_eq!(
            (p.to_str().unwrap(), a0.to_str().unwrap()),
            ("/bin/prog", "/bin/prog")
        );
        assert_eq!(rest, os(&["a", "b"]));
        let (p, a0, rest) = invocation(&os(&["/bin/prog", "prog", "b"]), true).unwrap();
        assert_eq!(
            (p.to_str().unwrap(), a0.to_str().unwrap()),
            ("/bin/prog", "prog")
        );
        assert_eq!(rest, os(&["b"]));
        assert!(invocation(&[], true).is_err());
    }

    #[test]
    fn the_mode_comes_from_the_invoked_name() {
        assert_eq!(mode(Path::new("/usr/bin/vm")), Mode::Command);
        assert_eq!(
            mode(Path::new("/usr/libexec/vm-binfmt-p")),
            Mode::Binfmt {
                preserve_argv0: true
            }
        );
        assert!(matches!(mode(Path::new("vm-binfmt")), Mode::Binfmt { .. }));
    }
}
