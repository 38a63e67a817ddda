//! The sysroot path rule and the sysroot choice, on a scratch sysroot.

use super::*;
use std::fs;
use std::sync::atomic::{AtomicU32, Ordering};

/// A fresh sysroot directory with `lib/libc.so.6`, `lib/dangling` (a symlink to nowhere),
/// `proc/self/maps`, `dev/null`, `sys/kernel` and `etc/hostname`.
fn scratch_sysroot() -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let root = std::env::temp_dir().join(format!("vm-sysroot-{}-{n}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    for dir in ["lib", "proc/self", "dev", "sys/kernel", "etc"] {
        fs::create_dir_all(root.join(dir)).unwrap();
    }
    for file in [
        "lib/libc.so.6",
        "proc/self/maps",
        "dev/null",
        "etc/hostname",
    ] {
        fs::write(root.join(file), b"x").unwrap();
    }
    std::os::unix::fs::symlink("does-not-exist", root.join("lib/dangling")).unwrap();
    root
}

fn options(root: &Path) -> VmOptions {
    VmOptions {
        sysroot: Some(root.to_path_buf()),
        ..VmOptions::default()
    }
}

/// What `host_path` makes of `guest`, as a string, and whether it borrowed its input.
fn resolve(opts: &VmOptions, guest: &str) -> (String, bool) {
    let c = CString::new(guest).unwrap();
    let out = host_path(opts, &c);
    let borrowed = matches!(out, Cow::Borrowed(_));
    (out.to_str().unwrap().to_string(), borrowed)
}

#[test]
fn existing_absolute_paths_go_to_the_sysroot() {
    let root = scratch_sysroot();
    let opts = options(&root);
    let r = root.to_str().unwrap();
    for guest in [
        "/lib/libc.so.6",
        "/lib",
        "/lib/",
        "//lib//libc.so.6",
        "/etc/hostname",
    ] {
        assert_eq!(
            resolve(&opts, guest),
            (format!("{r}{guest}"), false),
            "{guest}"
        );
    }
    // A symlink that dangles is still the sysroot's entry (readlinkat must see it).
    assert_eq!(
        resolve(&opts, "/lib/dangling"),
        (format!("{r}/lib/dangling"), false)
    );
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn other_paths_stay_the_hosts() {
    let root = scratch_sysroot();
    let opts = options(&root);
    for guest in [
        // Not in the sysroot.
        "/lib/libm.so.6",
        "/tmp",
        // Relative, or empty (AT_EMPTY_PATH).
        "lib/libc.so.6",
        "./lib",
        "",
        // The root itself.
        "/",
        "//",
        // The host's kernel interfaces, even where the sysroot has copies.
        "/proc/self/maps",
        "/proc",
        "/dev/null",
        "//dev/null",
        "/sys/kernel",
        // `..` might climb out of the sysroot.
        "/lib/../lib/libc.so.6",
        "/../lib/libc.so.6",
        "/..",
    ] {
        assert_eq!(
            resolve(&opts, guest),
            (guest.to_string(), true),
            "{guest:?}"
        );
    }
    // No sysroot: nothing moves.
    let none = VmOptions::default();
    assert_eq!(
        resolve(&none, "/lib/libc.so.6"),
        ("/lib/libc.so.6".to_string(), true)
    );
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn host_only_names_are_whole_components() {
    // `/device` and `/system` are ordinary directories, not `/dev` or `/sys`.
    let root = scratch_sysroot();
    fs::create_dir_all(root.join("device")).unwrap();
    fs::create_dir_all(root.join("system")).unwrap();
    let opts = options(&root);
    let r = root.to_str().unwrap();
    assert_eq!(resolve(&opts, "/device"), (format!("{r}/device"), false));
    assert_eq!(resolve(&opts, "/system"), (format!("{r}/system"), false));
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn the_flag_beats_the_variable_which_beats_the_default() {
    let a = scratch_sysroot();
    let b = scratch_sysroot();
    let canon = |p: &Path| fs::canonicalize(p).unwrap();
    assert_eq!(
        select(Some(&a), Some(b.as_os_str())).unwrap(),
        Some(canon(&a))
    );
    assert_eq!(select(None, Some(b.as_os_str())).unwrap(), Some(canon(&b)));
    let default = fs::canonicalize(DEFAULT_SYSROOT)
        .ok()
        .filter(|p| p.is_dir());
    assert_eq!(select(None, None).unwrap(), default);
    // An empty variable is no variable.
    assert_eq!(select(None, Some(OsStr::new(""))).unwrap(), default);
    fs::remove_dir_all(&a).unwrap();
    fs::remove_dir_all(&b).unwrap();
}

#[test]
fn a_named_sysroot_must_be_a_directory() {
    let root = scratch_sysroot();
    let missing = root.join("missing");
    let err = select(Some(&missing), None).unwrap_err().to_string();
    assert!(err.contains("missing") && err.contains("-L"), "{err}");
    let err = select(None, Some(missing.as_os_str()))
        .unwrap_err()
        .to_string();
    assert!(err.contains(ENV_VAR), "{err}");
    let file = root.join("etc/hostname");
    let err = select(Some(&file), None).unwrap_err().to_string();
    assert!(err.contains("not a directory"), "{err}");
    // The host's root is no sysroot at all.
    assert_eq!(select(Some(Path::new("/")), None).unwrap(), None);
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_relative_sysroot_is_made_absolute() {
    // The guest may chdir, so the sysroot must not depend on the working directory.
    let cwd = std::env::current_dir().unwrap();
    let chosen = select(Some(Path::new(".")), None).unwrap();
    assert_eq!(
        chosen,
        Some(fs::canonicalize(&cwd).unwrap()).filter(|p| p != Path::new("/"))
    );
}
