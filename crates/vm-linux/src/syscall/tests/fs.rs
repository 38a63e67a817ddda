//! Paths and metadata against real temporary files.

use super::*;
use crate::syscall::numbers as nr;
use std::os::unix::fs::{MetadataExt, PermissionsExt};

const AT_FDCWD: u64 = libc::AT_FDCWD as u64;

fn open(g: &mut Guest, path: &std::path::Path, flags: i32) -> i64 {
    let p = g.put_str(SCRATCH, s(path));
    g.call(nr::OPENAT, &[AT_FDCWD, p, flags as u64, 0o644])
}

/// Checks a guest riscv64 `struct stat` at `st` field by field against host metadata.
fn assert_stat_matches(g: &Guest, st: u64, m: &std::fs::Metadata) {
    let i64_at = |off| g.u64_at(st + off) as i64;
    assert_eq!(g.u64_at(st), m.dev(), "st_dev");
    assert_eq!(g.u64_at(st + 8), m.ino(), "st_ino");
    assert_eq!(g.u32_at(st + 16), m.mode(), "st_mode");
    assert_eq!(g.u32_at(st + 20) as u64, m.nlink(), "st_nlink");
    assert_eq!(g.u32_at(st + 24), m.uid(), "st_uid");
    assert_eq!(g.u32_at(st + 28), m.gid(), "st_gid");
    assert_eq!(g.u64_at(st + 32), m.rdev(), "st_rdev");
    assert_eq!(g.u64_at(st + 40), 0, "__pad1");
    assert_eq!(i64_at(48), m.size() as i64, "st_size");
    assert_eq!(g.u32_at(st + 56) as u64, m.blksize(), "st_blksize");
    assert_eq!(g.u32_at(st + 60), 0, "__pad2");
    assert_eq!(i64_at(64), m.blocks() as i64, "st_blocks");
    assert_eq!(i64_at(72), m.atime(), "st_atime");
    assert_eq!(i64_at(80), m.atime_nsec(), "st_atime_nsec");
    assert_eq!(i64_at(88), m.mtime(), "st_mtime");
    assert_eq!(i64_at(96), m.mtime_nsec(), "st_mtime_nsec");
    assert_eq!(i64_at(104), m.ctime(), "st_ctime");
    assert_eq!(i64_at(112), m.ctime_nsec(), "st_ctime_nsec");
    assert_eq!(g.u64_at(st + 120), 0, "__unused4/5");
}

#[test]
fn fstat_and_newfstatat_use_the_riscv64_stat_layout() {
    let mut g = Guest::new();
    let dir = temp_dir("stat");
    let path = dir.join("file");
    std::fs::write(&path, vec![7u8; 5000]).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let fd = open(&mut g, &path, libc::O_RDONLY);
    assert!(fd >= 0);
    let st = SCRATCH + 0x1000;
    // Poison the buffer so that unwritten padding would show.
    g.mem.write_bytes(st, &[0xaa; 128]).unwrap();
    assert_eq!(g.call(nr::FSTAT, &[fd as u64, st]), 0);
    let m = std::fs::metadata(&path).unwrap();
    assert_stat_matches(&g, st, &m);
    assert_eq!(g.u32_at(st + 16) & 0o7777, 0o640);
    // By path.
    g.mem.write_bytes(st, &[0xaa; 128]).unwrap();
    let p = g.put_str(SCRATCH, s(&path));
    assert_eq!(g.call(nr::NEWFSTATAT, &[AT_FDCWD, p, st, 0]), 0);
    assert_stat_matches(&g, st, &m);
    // AT_EMPTY_PATH on the descriptor, with "" and with a null path.
    let empty = g.put_str(SCRATCH + 0x800, "");
    let flags = libc::AT_EMPTY_PATH as u64;
    assert_eq!(g.call(nr::NEWFSTATAT, &[fd as u64, empty, st, flags]), 0);
    assert_stat_matches(&g, st, &m);
    assert_eq!(g.call(nr::NEWFSTATAT, &[fd as u64, 0, st, flags]), 0);
    assert_eq!(
        g.call(nr::NEWFSTATAT, &[fd as u64, empty, st, 0]),
        -(libc::ENOENT as i64)
    );
    assert_eq!(g.call(nr::FSTAT, &[fd as u64, UNMAPPED]), EFAULT);
    assert_eq!(g.call(nr::FSTAT, &[999, st]), EBADF);
    assert_eq!(g.call(nr::CLOSE, &[fd as u64]), 0);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn newfstatat_follows_symlinks_unless_told_not_to() {
    let mut g = Guest::new();
    let dir = temp_dir("lstat");
    let target = dir.join("target");
    let link = dir.join("link");
    std::fs::write(&target, b"x").unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let p = g.put_str(SCRATCH, s(&link));
    let st = SCRATCH + 0x1000;
    assert_eq!(g.call(nr::NEWFSTATAT, &[AT_FDCWD, p, st, 0]), 0);
    assert_stat_matches(&g, st, &std::fs::metadata(&link).unwrap());
    let nofollow = libc::AT_SYMLINK_NOFOLLOW as u64;
    assert_eq!(g.call(nr::NEWFSTATAT, &[AT_FDCWD, p, st, nofollow]), 0);
    let lm = std::fs::symlink_metadata(&link).unwrap();
    assert_stat_matches(&g, st, &lm);
    assert_eq!(g.u32_at(st + 16) & libc::S_IFMT, libc::S_IFLNK);
    // Relative to a directory descriptor.
    let dfd = open(&mut g, &dir, libc::O_RDONLY | libc::O_DIRECTORY);
    let name = g.put_str(SCRATCH + 0x800, "target");
    assert_eq!(g.call(nr::NEWFSTATAT, &[dfd as u64, name, st, 0]), 0);
    assert_eq!(g.u64_at(st + 48), 1);
    assert_eq!(
        g.call(nr::NEWFSTATAT, &[AT_FDCWD, p, st, 0x8000_0000]),
        EINVAL
    );
    assert_eq!(g.call(nr::CLOSE, &[dfd as u64]), 0);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn statx_passes_the_host_structure_through() {
    let mut g = Guest::new();
    let dir = temp_dir("statx");
    let path = dir.join("f");
    std::fs::write(&path, b"twelve bytes").unwrap();
    let p = g.put_str(SCRATCH, s(&path));
    let buf = SCRATCH + 0x1000;
    const STATX_BASIC_STATS: u64 = 0x7ff;
    assert_eq!(
        g.call(nr::STATX, &[AT_FDCWD, p, 0, STATX_BASIC_STATS, buf]),
        0
    );
    let m = std::fs::metadata(&path).unwrap();
    assert_eq!(g.u32_at(buf) as u64 & STATX_BASIC_STATS, STATX_BASIC_STATS);
    let mode = u16::from_le_bytes(g.mem.read(buf + 28).unwrap());
    assert_eq!(mode as u32, m.mode());
    assert_eq!(g.u64_at(buf + 32), m.ino(), "stx_ino");
    assert_eq!(g.u64_at(buf + 40), 12, "stx_size");
    assert_eq!(
        g.call(nr::STATX, &[AT_FDCWD, p, 0, STATX_BASIC_STATS, UNMAPPED]),
        EFAULT
    );
    let missing = g.put_str(SCRATCH, "/nonexistent/vm-linux-test");
    assert_eq!(
        g.call(nr::STATX, &[AT_FDCWD, missing, 0, STATX_BASIC_STATS, buf]),
        -(libc::ENOENT as i64)
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// Parses `linux_dirent64` records: (inode, type, name).
fn parse_dirents(bytes: &[u8]) -> Vec<(u64, u8, String)> {
    let mut out = Vec::new();
    let mut off = 0;
    while off < bytes.len() {
        let ino = u64::from_le_bytes(bytes[off..off + 8].try_into().unwrap());
        let reclen = u16::from_le_bytes(bytes[off + 16..off + 18].try_into().unwrap()) as usize;
        let ty = bytes[off + 18];
        let name = &bytes[off + 19..off + reclen];
        let name = &name[..name.iter().position(|&b| b == 0).unwrap()];
        out.push((ino, ty, String::from_utf8(name.to_vec()).unwrap()));
        off += reclen;
    }
    out
}

#[test]
fn getdents64_lists_a_directory() {
    let mut g = Guest::new();
    let dir = temp_dir("getdents");
    for name in ["alpha", "beta", "gamma"] {
        std::fs::write(dir.join(name), name).unwrap();
    }
    std::fs::create_dir(dir.join("sub")).unwrap();
    let fd = open(&mut g, &dir, libc::O_RDONLY | libc::O_DIRECTORY) as u64;
    let buf = SCRATCH + 0x1000;
    let mut entries = Vec::new();
    loop {
        let n = g.call(nr::GETDENTS64, &[fd, buf, 4096]);
        assert!(n >= 0, "getdents64: {n}");
        if n == 0 {
            break;
        }
        entries.extend(parse_dirents(&g.bytes(buf, n as u64)));
    }
    let mut names: Vec<&str> = entries.iter().map(|(_, _, n)| n.as_str()).collect();
    names.sort();
    assert_eq!(names, [".", "..", "alpha", "beta", "gamma", "sub"]);
    let alpha = entries.iter().find(|e| e.2 == "alpha").unwrap();
    assert_eq!(alpha.0, std::fs::metadata(dir.join("alpha")).unwrap().ino());
    assert_eq!(alpha.1, libc::DT_REG);
    assert_eq!(
        entries.iter().find(|e| e.2 == "sub").unwrap().1,
        libc::DT_DIR
    );
    // Errors: too small a buffer, a bad buffer, a file that is not a directory.
    assert_eq!(g.call(nr::LSEEK, &[fd, 0, 0]), 0);
    assert_eq!(g.call(nr::GETDENTS64, &[fd, buf, 8]), EINVAL);
    assert_eq!(g.call(nr::GETDENTS64, &[fd, UNMAPPED, 4096]), EFAULT);
    assert_eq!(g.call(nr::GETDENTS64, &[999, UNMAPPED, 4096]), EBADF);
    let f = open(&mut g, &dir.join("alpha"), libc::O_RDONLY) as u64;
    assert_eq!(
        g.call(nr::GETDENTS64, &[f, buf, 4096]),
        -(libc::ENOTDIR as i64)
    );
    g.call(nr::CLOSE, &[f]);
    g.call(nr::CLOSE, &[fd]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn readlinkat_of_proc_self_exe_names_the_guest_program() {
    let mut g = Guest::new();
    let exe = "/opt/guest/bin/hello";
    let buf = SCRATCH + 0x1000;
    for spelling in [
        "/proc/self/exe".to_string(),
        format!("/proc/{}/exe", std::process::id()),
    ] {
        let p = g.put_str(SCRATCH, &spelling);
        assert_eq!(
            g.call(nr::READLINKAT, &[AT_FDCWD, p, buf, 256]),
            exe.len() as i64
        );
        assert_eq!(g.bytes(buf, exe.len() as u64), exe.as_bytes());
    }
    // Truncated to the buffer, without a NUL.
    let p = g.put_str(SCRATCH, "/proc/self/exe");
    g.mem.write_bytes(buf, &[0xff; 8]).unwrap();
    assert_eq!(g.call(nr::READLINKAT, &[AT_FDCWD, p, buf, 4]), 4);
    assert_eq!(g.bytes(buf, 5), b"/opt\xff");
    assert_eq!(g.call(nr::READLINKAT, &[AT_FDCWD, p, buf, 0]), EINVAL);
    assert_eq!(g.call(nr::READLINKAT, &[AT_FDCWD, p, UNMAPPED, 64]), EFAULT);
    // Other links are the host's.
    let dir = temp_dir("readlink");
    let link = dir.join("l");
    std::os::unix::fs::symlink("some/target", &link).unwrap();
    let p = g.put_str(SCRATCH, s(&link));
    assert_eq!(g.call(nr::READLINKAT, &[AT_FDCWD, p, buf, 256]), 11);
    assert_eq!(g.bytes(buf, 11), b"some/target");
    let p = g.put_str(SCRATCH, s(&dir));
    assert_eq!(g.call(nr::READLINKAT, &[AT_FDCWD, p, buf, 256]), EINVAL);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn openat_of_proc_self_exe_opens_the_guest_program() {
    let mut g = Guest::new();
    let dir = temp_dir("exe");
    let exe = dir.join("prog");
    std::fs::write(&exe, b"\x7fELF-not-really").unwrap();
    g.state.exe_path = exe.clone();
    let p = g.put_str(SCRATCH, "/proc/self/exe");
    let fd = g.call(nr::OPENAT, &[AT_FDCWD, p, libc::O_RDONLY as u64]);
    assert!(fd >= 0);
    assert_eq!(g.call(nr::READ, &[fd as u64, SCRATCH + 0x1000, 64]), 15);
    assert_eq!(g.bytes(SCRATCH + 0x1000, 4), b"\x7fELF");
    let st = SCRATCH + 0x2000;
    assert_eq!(g.call(nr::NEWFSTATAT, &[AT_FDCWD, p, st, 0]), 0);
    assert_eq!(g.u64_at(st + 48), 15);
    g.call(nr::CLOSE, &[fd as u64]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn lookups_find_absolute_paths_in_the_sysroot_first() {
    let mut g = Guest::new();
    // The guest path `dir/f` exists on the host and, with other contents, in the sysroot.
    let dir = temp_dir("sysroot-host");
    let root = temp_dir("sysroot-root");
    let in_root = root.join(dir.strip_prefix("/").unwrap());
    std::fs::create_dir_all(&in_root).unwrap();
    std::fs::write(dir.join("f"), b"host").unwrap();
    std::fs::write(in_root.join("f"), b"sysroot!").unwrap();
    std::os::unix::fs::symlink("f", in_root.join("link")).unwrap();
    std::fs::write(dir.join("host-only"), b"h").unwrap();
    g.state.options.sysroot = Some(root.clone());
    let (buf, st) = (SCRATCH + 0x1000, SCRATCH + 0x2000);
    let f = g.put_str(SCRATCH, s(&dir.join("f")));
    let fd = g.call(nr::OPENAT, &[AT_FDCWD, f, libc::O_RDONLY as u64]);
    assert!(fd >= 0);
    assert_eq!(g.call(nr::READ, &[fd as u64, buf, 64]), 8);
    assert_eq!(g.bytes(buf, 8), b"sysroot!");
    g.call(nr::CLOSE, &[fd as u64]);
    assert_eq!(g.call(nr::NEWFSTATAT, &[AT_FDCWD, f, st, 0]), 0);
    assert_eq!(g.u64_at(st + 48), 8, "st_size of the sysroot's file");
    let nofollow = libc::AT_SYMLINK_NOFOLLOW as u64;
    let link = g.put_str(SCRATCH + 0x800, s(&dir.join("link")));
    assert_eq!(g.call(nr::NEWFSTATAT, &[AT_FDCWD, link, st, nofollow]), 0);
    assert_eq!(g.u32_at(st + 16) & libc::S_IFMT, libc::S_IFLNK);
    assert_eq!(g.call(nr::READLINKAT, &[AT_FDCWD, link, buf, 64]), 1);
    assert_eq!(g.bytes(buf, 1), b"f");
    assert_eq!(
        g.call(nr::FACCESSAT, &[AT_FDCWD, link, libc::R_OK as u64]),
        0
    );
    // A name the sysroot lacks is the host's.
    let host_only = g.put_str(SCRATCH + 0x800, s(&dir.join("host-only")));
    assert_eq!(g.call(nr::NEWFSTATAT, &[AT_FDCWD, host_only, st, 0]), 0);
    assert_eq!(g.u64_at(st + 48), 1);
    // Removal is not redirected: it takes the host's file, and the sysroot's stays.
    assert_eq!(g.call(nr::UNLINKAT, &[AT_FDCWD, f, 0]), 0);
    assert!(!dir.join("f").exists() && in_root.join("f").exists());
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn path_errors() {
    let mut g = Guest::new();
    let r = g.call(nr::OPENAT, &[AT_FDCWD, UNMAPPED, 0]);
    assert_eq!(r, EFAULT);
    // No NUL within PATH_MAX bytes.
    g.mem.write_bytes(SCRATCH, &[b'a'; 8192]).unwrap();
    assert_eq!(
        g.call(nr::OPENAT, &[AT_FDCWD, SCRATCH, 0]),
        -(libc::ENAMETOOLONG as i64)
    );
    // A path running into unmapped memory.
    let end = SCRATCH + SCRATCH_PAGES * PAGE_SIZE;
    g.mem.write_bytes(end - 4, b"abcd").unwrap();
    assert_eq!(g.call(nr::OPENAT, &[AT_FDCWD, end - 4, 0]), EFAULT);
    let missing = g.put_str(SCRATCH, "/nonexistent/vm-linux-test");
    assert_eq!(
        g.call(nr::OPENAT, &[AT_FDCWD, missing, 0]),
        -(libc::ENOENT as i64)
    );
    let empty = g.put_str(SCRATCH, "");
    assert_eq!(
        g.call(nr::OPENAT, &[AT_FDCWD, empty, 0]),
        -(libc::ENOENT as i64)
    );
    assert_eq!(g.call(nr::OPENAT, &[12345, missing + 1, 0]), EBADF);
}

#[test]
fn directories_access_rename_and_unlink() {
    let mut g = Guest::new();
    let dir = temp_dir("dirops");
    let dfd = open(&mut g, &dir, libc::O_RDONLY | libc::O_DIRECTORY) as u64;
    let sub = g.put_str(SCRATCH, "sub");
    assert_eq!(g.call(nr::MKDIRAT, &[dfd, sub, 0o755]), 0);
    assert!(dir.join("sub").is_dir());
    assert_eq!(
        g.call(nr::MKDIRAT, &[dfd, sub, 0o755]),
        -(libc::EEXIST as i64)
    );
    let f = g.put_str(SCRATCH + 0x100, "sub/file");
    let fd = g.call(
        nr::OPENAT,
        &[dfd, f, (libc::O_CREAT | libc::O_WRONLY) as u64, 0o600],
    );
    assert!(fd >= 0);
    g.call(nr::CLOSE, &[fd as u64]);
    // faccessat and faccessat2.
    assert_eq!(g.call(nr::FACCESSAT, &[dfd, f, libc::R_OK as u64]), 0);
    assert_eq!(
        g.call(nr::FACCESSAT, &[dfd, f, libc::X_OK as u64]),
        -(libc::EACCES as i64)
    );
    let nothing = g.put_str(SCRATCH + 0x200, "nothing");
    assert_eq!(
        g.call(nr::FACCESSAT, &[dfd, nothing, 0]),
        -(libc::ENOENT as i64)
    );
    let eaccess = libc::AT_EACCESS as u64;
    assert_eq!(
        g.call(nr::FACCESSAT2, &[dfd, f, libc::W_OK as u64, eaccess]),
        0
    );
    assert_eq!(g.call(nr::FACCESSAT2, &[dfd, f, 0, 0x4]), EINVAL);
    // renameat2, including RENAME_NOREPLACE.
    let g2 = g.put_str(SCRATCH + 0x300, "sub/renamed");
    assert_eq!(g.call(nr::RENAMEAT2, &[dfd, f, dfd, g2, 0]), 0);
    assert!(dir.join("sub/renamed").exists() && !dir.join("sub/file").exists());
    std::fs::write(dir.join("other"), b"").unwrap();
    let other = g.put_str(SCRATCH + 0x400, "other");
    let noreplace = libc::RENAME_NOREPLACE as u64;
    assert_eq!(
        g.call(nr::RENAMEAT2, &[dfd, other, dfd, g2, noreplace]),
        -(libc::EEXIST as i64)
    );
    // unlinkat of a file, then of the directory (needs AT_REMOVEDIR).
    assert_eq!(g.call(nr::UNLINKAT, &[dfd, g2, 0]), 0);
    assert_eq!(g.call(nr::UNLINKAT, &[dfd, sub, 0]), -(libc::EISDIR as i64));
    assert_eq!(
        g.call(nr::UNLINKAT, &[dfd, sub, libc::AT_REMOVEDIR as u64]),
        0
    );
    assert!(!dir.join("sub").exists());
    g.call(nr::CLOSE, &[dfd]);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn getcwd_returns_the_length_with_the_nul() {
    let mut g = Guest::new();
    let cwd = std::env::current_dir().unwrap();
    let want = s(&cwd).len() as i64 + 1;
    let buf = SCRATCH + 0x1000;
    assert_eq!(g.call(nr::GETCWD, &[buf, 4096]), want);
    assert_eq!(g.bytes(buf, want as u64 - 1), s(&cwd).as_bytes());
    assert_eq!(g.bytes(buf + want as u64 - 1, 1), [0]);
    assert_eq!(g.call(nr::GETCWD, &[buf, 2]), -(libc::ERANGE as i64));
    assert_eq!(g.call(nr::GETCWD, &[UNMAPPED, 4096]), EFAULT);
    // chdir errors only: changing the test process's directory would disturb other tests.
    let missing = g.put_str(SCRATCH, "/nonexistent/vm-linux-test");
    assert_eq!(g.call(nr::CHDIR, &[missing]), -(libc::ENOENT as i64));
    assert_eq!(g.call(nr::FCHDIR, &[999]), EBADF);
}

/// Calls `openat2(AT_FDCWD, path, {flags, 0, resolve}, 24)`.
fn openat2(g: &mut Guest, path: &str, flags: u64, resolve: u64) -> i64 {
    let p = g.put_str(SCRATCH, path);
    let how = SCRATCH + 0x1000;
    g.mem.write_u64(how, flags).unwrap();
    g.mem.write_u64(how + 8, 0).unwrap();
    g.mem.write_u64(how + 16, resolve).unwrap();
    g.call(nr::OPENAT2, &[AT_FDCWD, p, how, 24])
}

#[test]
fn openat2_judges_a_sysroot_path_by_the_guest_path_alone() {
    const NO_SYMLINKS: u64 = 4;
    const BENEATH: u64 = 8;
    let mut g = Guest::new();
    // The sysroot is reached through a symlink, which the guest never sees.
    let dir = temp_dir("openat2-sysroot");
    std::fs::create_dir(dir.join("real")).unwrap();
    std::os::unix::fs::symlink("real", dir.join("root")).unwrap();
    std::fs::write(dir.join("real/vm-openat2-file"), b"in sysroot").unwrap();
    std::os::unix::fs::symlink("vm-openat2-file", dir.join("real/vm-openat2-link")).unwrap();
    g.state.options.sysroot = Some(dir.join("root"));
    let fd = openat2(&mut g, "/vm-openat2-file", 0, NO_SYMLINKS);
    assert!(fd >= 0, "{fd}");
    let mut buf = [0u8; 16];
    // SAFETY: `buf` is a host buffer of 16 bytes.
    let n = unsafe { libc::read(fd as i32, buf.as_mut_ptr().cast(), buf.len()) };
    assert_eq!(&buf[..n as usize], b"in sysroot");
    assert_eq!(g.call(nr::CLOSE, &[fd as u64]), 0);
    let eloop = -(libc::ELOOP as i64);
    assert_eq!(openat2(&mut g, "/vm-openat2-link", 0, NO_SYMLINKS), eloop);
    let fd = openat2(&mut g, "/vm-openat2-link", 0, 0);
    assert!(fd >= 0, "{fd}");
    assert_eq!(g.call(nr::CLOSE, &[fd as u64]), 0);
    // Below the working directory, not in the sysroot.
    let exdev = -(libc::EXDEV as i64);
    assert_eq!(openat2(&mut g, "/vm-openat2-file", 0, BENEATH), exdev);
}
