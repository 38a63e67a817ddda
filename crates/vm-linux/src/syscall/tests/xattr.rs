//! Extended attributes on real temporary files, through the sysroot as other lookups go.

use super::*;
use crate::syscall::numbers as nr;

const ENODATA: i64 = -(libc::ENODATA as i64);

#[test]
fn attributes_set_by_path_read_back_by_descriptor_and_list() {
    let mut g = Guest::new();
    let dir = temp_dir("xattr");
    let path = dir.join("f");
    std::fs::write(&path, b"x").unwrap();
    let p = g.put_str(SCRATCH, s(&path));
    let name = g.put_str(SCRATCH + 0x400, "user.vm");
    g.mem.write_bytes(SCRATCH + 0x500, b"value").unwrap();
    let set = g.call(nr::SETXATTR, &[p, name, SCRATCH + 0x500, 5, 0]);
    if set == -(libc::EOPNOTSUPP as i64) {
        return; // No user attributes on this file system.
    }
    assert_eq!(set, 0);
    let fd = g.call(nr::OPENAT, &[libc::AT_FDCWD as u64, p, 0, 0]);
    assert!(fd >= 0);
    let out = SCRATCH + 0x600;
    assert_eq!(g.call(nr::FGETXATTR, &[fd as u64, name, out, 64]), 5);
    assert_eq!(g.bytes(out, 5), b"value");
    assert_eq!(g.call(nr::LISTXATTR, &[p, out, 64]), 8);
    assert_eq!(g.bytes(out, 8), b"user.vm\0");
    assert_eq!(g.call(nr::GETXATTR, &[p, name, UNMAPPED, 64]), EFAULT);
    assert_eq!(g.call(nr::FGETXATTR, &[999, name, out, 64]), EBADF);
    assert_eq!(g.call(nr::LREMOVEXATTR, &[p, name]), 0);
    assert_eq!(g.call(nr::FGETXATTR, &[fd as u64, name, out, 64]), ENODATA);
    assert_eq!(g.call(nr::CLOSE, &[fd as u64]), 0);
}

#[test]
fn absolute_paths_find_the_sysroot_entry_first() {
    let mut g = Guest::new();
    let root = temp_dir("xattr-sysroot");
    let inside = root.join("vm-xattr-only-in-sysroot");
    std::fs::write(&inside, b"x").unwrap();
    g.state.options.sysroot = Some(root.clone());
    let p = g.put_str(SCRATCH, "/vm-xattr-only-in-sysroot");
    let name = g.put_str(SCRATCH + 0x400, "user.where");
    g.mem.write_bytes(SCRATCH + 0x500, b"sysroot").unwrap();
    let set = g.call(nr::SETXATTR, &[p, name, SCRATCH + 0x500, 7, 0]);
    if set == -(libc::EOPNOTSUPP as i64) {
        return;
    }
    assert_eq!(set, 0);
    assert_eq!(g.call(nr::GETXATTR, &[p, name, SCRATCH + 0x600, 64]), 7);
    let mut value = [0u8; 16];
    // SAFETY: both strings are NUL-terminated; `value` is a 16-byte buffer.
    let n = unsafe {
        libc::getxattr(
            std::ffi::CString::new(s(&inside)).unwrap().as_ptr(),
            c"user.where".as_ptr(),
            value.as_mut_ptr().cast(),
            value.len(),
        )
    };
    assert_eq!(&value[..n as usize], b"sysroot");
}
