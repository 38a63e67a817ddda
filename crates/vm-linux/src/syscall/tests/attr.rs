//! Attribute changes, links and file-system statistics against real temporary files.

use super::*;
use crate::syscall::numbers as nr;
use std::os::unix::fs::{MetadataExt, PermissionsExt};

const AT_FDCWD: u64 = libc::AT_FDCWD as u64;
const ENOENT: i64 = -(libc::ENOENT as i64);
const EEXIST: i64 = -(libc::EEXIST as i64);

fn mode(path: &std::path::Path) -> u32 {
    std::fs::symlink_metadata(path).unwrap().mode() & 0o7777
}

#[test]
fn fchmodat_and_fchmod_change_the_host_mode() {
    let mut g = Guest::new();
    let dir = temp_dir("chmod");
    let path = dir.join("f");
    std::fs::write(&path, b"x").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let p = g.put_str(SCRATCH, s(&path));
    assert_eq!(g.call(nr::FCHMODAT, &[AT_FDCWD, p, 0o600]), 0);
    assert_eq!(mode(&path), 0o600);
    let fd = g.call(nr::OPENAT, &[AT_FDCWD, p, libc::O_RDONLY as u64, 0]);
    assert!(fd >= 0);
    assert_eq!(g.call(nr::FCHMOD, &[fd as u64, 0o640]), 0);
    assert_eq!(mode(&path), 0o640);
    assert_eq!(g.call(nr::FCHMOD, &[999, 0o640]), EBADF);
    let missing = g.put_str(SCRATCH + 0x200, s(&dir.join("none")));
    assert_eq!(g.call(nr::FCHMODAT, &[AT_FDCWD, missing, 0o600]), ENOENT);
    assert_eq!(g.call(nr::FCHMODAT, &[AT_FDCWD, UNMAPPED, 0o600]), EFAULT);
    // Changing owner to the current owner is allowed for anyone.
    let m = std::fs::metadata(&path).unwrap();
    let (uid, gid) = (m.uid() as u64, m.gid() as u64);
    assert_eq!(g.call(nr::FCHOWNAT, &[AT_FDCWD, p, uid, gid, 0]), 0);
    assert_eq!(g.call(nr::FCHOWN, &[fd as u64, uid, gid]), 0);
    assert_eq!(g.call(nr::CLOSE, &[fd as u64]), 0);
}

#[test]
fn symlinkat_and_linkat_create_links() {
    let mut g = Guest::new();
    let dir = temp_dir("links");
    let file = dir.join("f");
    std::fs::write(&file, b"data").unwrap();
    let target = g.put_str(SCRATCH, "f");
    let link = g.put_str(SCRATCH + 0x100, s(&dir.join("link")));
    assert_eq!(g.call(nr::SYMLINKAT, &[target, AT_FDCWD, link]), 0);
    assert_eq!(
        std::fs::read_link(dir.join("link")).unwrap(),
        std::path::Path::new("f")
    );
    assert_eq!(g.call(nr::SYMLINKAT, &[target, AT_FDCWD, link]), EEXIST);
    let old = g.put_str(SCRATCH + 0x200, s(&file));
    let hard = g.put_str(SCRATCH + 0x400, s(&dir.join("hard")));
    assert_eq!(g.call(nr::LINKAT, &[AT_FDCWD, old, AT_FDCWD, hard, 0]), 0);
    assert_eq!(std::fs::metadata(&file).unwrap().nlink(), 2);
    assert_eq!(
        g.call(nr::LINKAT, &[AT_FDCWD, old, AT_FDCWD, hard, 0]),
        EEXIST
    );
    assert_eq!(
        g.call(nr::LINKAT, &[AT_FDCWD, UNMAPPED, AT_FDCWD, hard, 0]),
        EFAULT
    );
}

#[test]
fn truncate_and_utimensat() {
    let mut g = Guest::new();
    let dir = temp_dir("truncate");
    let path = dir.join("f");
    std::fs::write(&path, b"0123456789").unwrap();
    let p = g.put_str(SCRATCH, s(&path));
    assert_eq!(g.call(nr::TRUNCATE, &[p, 4]), 0);
    assert_eq!(std::fs::read(&path).unwrap(), b"0123");
    assert_eq!(g.call(nr::TRUNCATE, &[p, (-1i64) as u64]), EINVAL);
    // Two timespecs: atime, mtime.
    let ts = SCRATCH + 0x800;
    for (i, v) in [1_000_000_000u64, 5, 1_200_000_000, 7].iter().enumerate() {
        g.mem.write_u64(ts + 8 * i as u64, *v).unwrap();
    }
    assert_eq!(g.call(nr::UTIMENSAT, &[AT_FDCWD, p, ts, 0]), 0);
    let m = std::fs::metadata(&path).unwrap();
    assert_eq!((m.atime(), m.atime_nsec()), (1_000_000_000, 5));
    assert_eq!((m.mtime(), m.mtime_nsec()), (1_200_000_000, 7));
    // A null path with a descriptor is futimens; null times mean now.
    let fd = g.call(nr::OPENAT, &[AT_FDCWD, p, libc::O_RDWR as u64, 0]);
    assert_eq!(g.call(nr::UTIMENSAT, &[fd as u64, 0, 0, 0]), 0);
    assert!(std::fs::metadata(&path).unwrap().mtime() > 1_200_000_000);
    assert_eq!(g.call(nr::UTIMENSAT, &[AT_FDCWD, p, UNMAPPED, 0]), EFAULT);
    assert_eq!(g.call(nr::CLOSE, &[fd as u64]), 0);
}

#[test]
fn statfs_and_fstatfs_copy_the_64_bit_layout() {
    let mut g = Guest::new();
    let dir = temp_dir("statfs");
    let p = g.put_str(SCRATCH, s(&dir));
    let buf = SCRATCH + 0x1000;
    assert_eq!(g.call(nr::STATFS, &[p, buf]), 0);
    // SAFETY: `st` is a host `struct statfs` the kernel fills.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    let c = std::ffi::CString::new(s(&dir)).unwrap();
    // SAFETY: `c` is NUL-terminated and `st` a host `struct statfs`.
    assert_eq!(unsafe { libc::statfs(c.as_ptr(), &mut st) }, 0);
    assert_eq!(g.u64_at(buf) as i64, st.f_type, "f_type");
    assert_eq!(g.u64_at(buf + 8) as i64, st.f_bsize, "f_bsize");
    assert_eq!(g.u64_at(buf + 16), st.f_blocks, "f_blocks");
    assert_eq!(g.u64_at(buf + 64) as i64, st.f_namelen, "f_namelen");
    let fd = g.call(nr::OPENAT, &[AT_FDCWD, p, libc::O_RDONLY as u64, 0]);
    let buf2 = SCRATCH + 0x1100;
    assert_eq!(g.call(nr::FSTATFS, &[fd as u64, buf2]), 0);
    assert_eq!(g.bytes(buf, 16), g.bytes(buf2, 16));
    assert_eq!(g.call(nr::FSTATFS, &[fd as u64, UNMAPPED]), EFAULT);
    assert_eq!(g.call(nr::FSTATFS, &[999, buf2]), EBADF);
    assert_eq!(g.call(nr::STATFS, &[p, UNMAPPED]), EFAULT);
    assert_eq!(g.call(nr::CLOSE, &[fd as u64]), 0);
}
