//! The protocol's file access (`vFile:` packets), read-only: gdb reads the program and
//! its shared libraries through the stub, with paths resolved as the guest's are (the
//! `-L` sysroot first), so `target remote` needs no `set sysroot`.

use crate::options::VmOptions;
use crate::sysroot;
use packet_reply::*;
use std::collections::HashMap;
use std::ffi::CString;
use std::fs::File;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileExt, MetadataExt};

/// Files gdb opened, by the numbers it was given.
#[derive(Default)]
pub struct HostIo {
    files: HashMap<u64, File>,
    next: u64,
}

/// Replies in the protocol's `F` format.
mod packet_reply {
    /// `F-1,ERRNO` with the protocol's errno numbering.
    pub fn failure(e: &std::io::Error) -> Vec<u8> {
        let errno = match e.raw_os_error() {
            // The protocol numbers most errors as Linux does; these are its own.
            Some(libc::ENAMETOOLONG) => 91,
            Some(
                n @ (libc::EPERM
                | libc::ENOENT
                | libc::EINTR
                | libc::EBADF
                | libc::EACCES
                | libc::EFAULT
                | libc::EBUSY
                | libc::EEXIST
                | libc::ENODEV
                | libc::ENOTDIR
                | libc::EISDIR
                | libc::EINVAL
                | libc::ENFILE
                | libc::EMFILE
                | libc::EFBIG
                | libc::ENOSPC
                | libc::ESPIPE
                | libc::EROFS),
            ) => n,
            _ => 9999,
        };
        format!("F-1,{errno:x}").into_bytes()
    }

    /// `F` followed by a hex result.
    pub fn result(n: u64) -> Vec<u8> {
        format!("F{n:x}").into_bytes()
    }

    /// `FLEN;DATA`.
    pub fn with_data(data: &[u8]) -> Vec<u8> {
        let mut out = format!("F{:x};", data.len()).into_bytes();
        out.extend_from_slice(data);
        out
    }
}

fn error(errno: i32) -> std::io::Error {
    std::io::Error::from_raw_os_error(errno)
}

impl HostIo {
    /// The reply to `vFile:OPERATION:ARGS` (given without the `vFile:` prefix); empty for
    /// an operation not supported (gdb then falls back or reports it).
    pub fn handle(&mut self, request: &str, options: &VmOptions) -> Vec<u8> {
        let (op, args) = request.split_once(':').unwrap_or((request, ""));
        let args: Vec<&str> = args.split(',').collect();
        let number = |i: usize| args.get(i).and_then(|a| u64::from_str_radix(a, 16).ok());
        match op {
            // One filesystem: the guest's view.
            "setfs" => result(0),
            "open" => {
                let (Some(path), Some(flags)) = (
                    args.first()
                        .and_then(|p| super::packet::unhex(p.as_bytes())),
                    number(1),
                ) else {
                    return failure(&error(libc::EINVAL));
                };
                // Read-only: gdb's O_RDONLY is 0.
                if flags != 0 {
                    return failure(&error(libc::EACCES));
                }
                match self.open(&path, options) {
                    Ok(fd) => result(fd),
                    Err(e) => failure(&e),
                }
            }
            "pread" => {
                let (Some(fd), Some(count), Some(offset)) = (number(0), number(1), number(2))
                else {
                    return failure(&error(libc::EINVAL));
                };
                let Some(file) = self.files.get(&fd) else {
                    return failure(&error(libc::EBADF));
                };
                // Within the packet size gdb was offered (escaping may double bytes).
                let mut buf = vec![0u8; count.min(0x1800) as usize];
                match file.read_at(&mut buf, offset) {
                    Ok(n) => with_data(&buf[..n]),
                    Err(e) => failure(&e),
                }
            }
            "close" => match number(0).and_then(|fd| self.files.remove(&fd)) {
                Some(_) => result(0),
                None => failure(&error(libc::EBADF)),
            },
            "fstat" => match number(0).and_then(|fd| self.files.get(&fd)) {
                Some(file) => match file.metadata() {
                    Ok(meta) => with_data(&stat_record(&meta)),
                    Err(e) => failure(&e),
                },
                None => failure(&error(libc::EBADF)),
            },
            _ => Vec::new(),
        }
    }

    fn open(&mut self, guest_path: &[u8], options: &VmOptions) -> std::io::Result<u64> {
        let guest = CString::new(guest_path).map_err(|_| error(libc::EINVAL))?;
        let host = sysroot::host_path(options, &guest);
        let path = std::path::Path::new(std::ffi::OsStr::from_bytes(host.to_bytes()));
        let file = File::open(path)?;
        if file.metadata()?.is_dir() {
            return Err(error(libc::EISDIR));
        }
        self.next += 1;
        self.files.insert(self.next, file);
        Ok(self.next)
    }
}

/// The protocol's `struct stat`: 32- and 64-bit big-endian fields.
fn stat_record(m: &std::fs::Metadata) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    for v in [
        m.dev() as u32,
        m.ino() as u32,
        m.mode(),
        m.nlink() as u32,
        m.uid(),
        m.gid(),
        m.rdev() as u32,
    ] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    for v in [m.size(), m.blksize(), m.blocks()] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    for v in [m.atime(), m.mtime(), m.ctime()] {
        out.extend_from_slice(&(v as u32).to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> String {
        super::super::packet::hex(s.as_bytes())
    }

    #[test]
    fn files_are_opened_read_and_closed_read_only() {
        let dir = std::env::temp_dir().join(format!("vm-gdb-hostio-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("f");
        std::fs::write(&file, b"0123456789").unwrap();
        let mut io = HostIo::default();
        let options = VmOptions::default();
        let path = hex(file.to_str().unwrap());
        assert_eq!(io.handle("setfs:0", &options), b"F0");
        assert_eq!(io.handle(&format!("open:{path},0,0"), &options), b"F1");
        assert_eq!(io.handle("pread:1,4,3", &options), b"F4;3456");
        assert_eq!(io.handle("pread:1,100,8", &options), b"F2;89");
        let stat = io.handle("fstat:1", &options);
        assert_eq!(&stat[..4], b"F40;");
        assert_eq!(&stat[4 + 28..4 + 36], &10u64.to_be_bytes(), "st_size");
        assert_eq!(io.handle("close:1", &options), b"F0");
        assert_eq!(io.handle("pread:1,4,0", &options), b"F-1,9");
        assert_eq!(io.handle(&format!("open:{path},1,0"), &options), b"F-1,d");
        let missing = hex(dir.join("missing").to_str().unwrap());
        assert_eq!(
            io.handle(&format!("open:{missing},0,0"), &options),
            b"F-1,2"
        );
        assert_eq!(io.handle("unlink:00", &options), b"");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
