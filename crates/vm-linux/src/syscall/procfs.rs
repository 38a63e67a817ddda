//! The guest's view of its own procfs files, where the host's would describe the VM
//! (each also as `/proc/<own pid>/...` and `/proc/thread-self/...`):
//! - `/proc/self/maps` lists the guest's mappings in Linux's format;
//! - `/proc/self/cmdline` is the guest's arguments, exactly (the host's shows them
//!   padded with NULs to the length of vm's own command line);
//! - `/proc/self/auxv` is the auxiliary vector the guest started with;
//! - `/proc/self/status` is the host's with the guest's `Seccomp:` and
//!   `Seccomp_filters:` lines (vm checks guest system calls, the host sees no filter);
//! - `/proc/self/personality` is the guest's personality (the calling thread's), which
//!   vm keeps rather than setting the host's;
//! - `/proc/PID/maps` of another vm process lists that guest's mappings (see
//!   [`other_guest_maps`] for what it cannot know);
//! - `/proc/cpuinfo` describes RISC-V harts (one per host CPU), in the format of RISC-V
//!   Linux, with the ISA vm implements.
//!
//! (`/proc/self/exe` is redirected to the guest program by path, see `proc_self_exe`;
//! `/proc/self/comm` is the host's, which vm sets to the guest's name.)
//!
//! A view is generated when opened, like Linux's, into a memory file that is then
//! reopened read-only, so the guest reads and seeks an ordinary descriptor. The memory
//! file is named after the path it stands for, so that stat calls on the descriptor
//! ([`view_path`]) report the procfs file, as for a path: `cp /proc/cpuinfo` compares
//! the two and would take a difference for a file replaced while it was copied.

use super::{host, Errno, SysResult};
use crate::state::ProcessState;
use std::ffi::CStr;
use std::fmt::Write as _;
use std::os::fd::AsRawFd;
use vm_memory::remote::{host_maps, RemoteSpace};
use vm_memory::{GuestMemory, Perm, Region, RegionKind, PAGE_SIZE};

/// If `path` names one of the emulated views, opens it.
pub fn open_view(
    state: &ProcessState,
    mem: &GuestMemory,
    path: &CStr,
    flags: i32,
) -> Option<SysResult> {
    let p = path.to_bytes();
    if !p.starts_with(b"/proc/") {
        return None;
    }
    if p == b"/proc/cpuinfo" {
        return Some(open_text(path, cpuinfo().as_bytes(), flags));
    }
    let pid = std::process::id().to_string();
    let dirs = [b"self".as_slice(), b"thread-self", pid.as_bytes()];
    let Some((dir, file)) = dirs
        .iter()
        .find_map(|dir| Some((*dir, p[6..].strip_prefix(*dir)?.strip_prefix(b"/")?)))
    else {
        let other = p[6..].strip_suffix(b"/maps")?;
        let other: i32 = std::str::from_utf8(other).ok()?.parse().ok()?;
        let text = other_guest_maps(other)?;
        return Some(open_text(path, text.as_bytes(), flags));
    };
    match file {
        b"maps" => Some(open_text(path, maps(state, mem).as_bytes(), flags)),
        b"cmdline" => Some(open_text(path, &state.cmdline, flags)),
        b"auxv" => Some(open_text(path, &state.auxv, flags)),
        b"status" => {
            let text = status(state, dir == b"thread-self")?;
            Some(open_text(path, text.as_bytes(), flags))
        }
        b"personality" => {
            let text = format!("{:08x}\n", state.personality);
            Some(open_text(path, text.as_bytes(), flags))
        }
        _ => None,
    }
}

/// The last path components of the views [`open_view`] makes (`/proc/self/exe` is
/// redirected by path too, see `proc_self_exe`).
const VIEW_FILES: [&[u8]; 7] = [
    b"cpuinfo",
    b"maps",
    b"cmdline",
    b"auxv",
    b"status",
    b"personality",
    b"exe",
];

/// The absolute path that relative `path` names from `dirfd` (`AT_FDCWD`: the working
/// directory) when it may be one of the views, or None: a program opening
/// `openat(open("/proc"), "cpuinfo")`, as util-linux's `lscpu` does, or `maps` from a
/// descriptor of `/proc/self`, must get the view the absolute path gets. Only paths
/// whose last component is a view's name cost the look-up of the directory.
pub fn absolute_view_path(dirfd: i32, path: &CStr) -> Option<std::ffi::CString> {
    let p = path.to_bytes();
    let last = p.rsplit(|&b| b == b'/').next()?;
    if p.first() == Some(&b'/') || !VIEW_FILES.contains(&last) {
        return None;
    }
    let dir = if dirfd == libc::AT_FDCWD {
        std::env::current_dir().ok()?
    } else {
        std::fs::read_link(format!("/proc/self/fd/{dirfd}")).ok()?
    };
    let dir = std::os::unix::ffi::OsStrExt::as_bytes(dir.as_os_str());
    if dir != b"/proc" && !dir.starts_with(b"/proc/") {
        return None;
    }
    let mut rest = p;
    while let Some(r) = rest.strip_prefix(b"./").or_else(|| rest.strip_prefix(b"/")) {
        rest = r;
    }
    let mut abs = dir.to_vec();
    abs.push(b'/');
    abs.extend_from_slice(rest);
    std::ffi::CString::new(abs).ok()
}

/// `/proc/self/status` (or `/proc/thread-self/status` if `this_thread`): the host's,
/// with the seccomp lines of the guest's thread (the main thread's for the process, as
/// Linux shows it), which vm keeps rather than the host. None (the host's file as it
/// is) if the host's cannot be read.
fn status(state: &ProcessState, this_thread: bool) -> Option<String> {
    let host_path = if this_thread {
        "/proc/thread-self/status"
    } else {
        "/proc/self/status"
    };
    let host_text = std::fs::read_to_string(host_path).ok()?;
    let thread = match this_thread {
        true => None,
        false => state.signals.group.member(std::process::id() as i32),
    };
    let mode = thread
        .as_deref()
        .unwrap_or(&state.signals.thread)
        .seccomp
        .mode();
    let mut text = String::with_capacity(host_text.len() + 40);
    for line in host_text.lines() {
        match line.split_once(':') {
            Some(("Seccomp", _)) => {
                let _ = writeln!(text, "Seccomp:\t{}", mode.number());
            }
            Some(("Seccomp_filters", _)) => {
                let _ = writeln!(text, "Seccomp_filters:\t{}", mode.filter_count());
            }
            _ => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    Some(text)
}

/// The start of the name of a view's memory file, followed by the path it stands for.
const VIEW_NAME: &[u8] = b"vm-procfs-view:";

/// If descriptor `fd` is an emulated view, the procfs path it stands for. Cheap for other
/// descriptors when told whether the file has links (`linked`): a view's memory file
/// has none, so only those are looked at.
pub fn view_path(fd: i32, linked: bool) -> Option<std::ffi::CString> {
    if linked {
        return None;
    }
    let link = std::fs::read_link(format!("/proc/self/fd/{fd}")).ok()?;
    use std::os::unix::ffi::OsStrExt;
    let link = link.as_os_str().as_bytes();
    let rest = link.strip_prefix(b"/memfd:")?.strip_prefix(VIEW_NAME)?;
    let path = rest.strip_suffix(b" (deleted)").unwrap_or(rest);
    std::ffi::CString::new(path).ok()
}

/// A read-only descriptor over `text`. An open for writing is first tried on the host's
/// file of the same name, for its answer (`EACCES` for the 0444 procfs files, unless the
/// caller may override permissions).
fn open_text(path: &CStr, text: &[u8], flags: i32) -> SysResult {
    if flags & libc::O_ACCMODE != libc::O_RDONLY {
        // SAFETY: `path` is NUL-terminated.
        let fd = host(unsafe {
            host_syscall!(
                libc::SYS_openat,
                libc::AT_FDCWD,
                path.as_ptr(),
                (flags & libc::O_ACCMODE) | libc::O_CLOEXEC,
            )
        })?;
        // SAFETY: `fd` was just opened by us.
        unsafe { libc::close(fd as i32) };
    }
    // A memfd name has at most 249 bytes; a longer path goes unnamed (and such a
    // descriptor stats as the memory file).
    let mut name = VIEW_NAME.to_vec();
    if path.to_bytes().len() <= 200 {
        name.extend_from_slice(path.to_bytes());
    }
    let name = std::ffi::CString::new(name).expect("a path has no NUL");
    // SAFETY: `name` is NUL-terminated.
    let fd =
        host(unsafe { host_syscall!(libc::SYS_memfd_create, name.as_ptr(), libc::MFD_CLOEXEC) })?;
    // SAFETY: `fd` was just created and is owned by nobody else.
    let memfd: std::os::fd::OwnedFd = unsafe { std::os::fd::FromRawFd::from_raw_fd(fd as i32) };
    let mut file = std::fs::File::from(memfd);
    std::io::Write::write_all(&mut file, text)
        .map_err(|e| Errno(e.raw_os_error().unwrap_or(libc::EIO)))?;
    let reopen = format!("/proc/self/fd/{}\0", file.as_raw_fd());
    let keep = flags & (libc::O_CLOEXEC | libc::O_NONBLOCK);
    // SAFETY: `reopen` is NUL-terminated; the new descriptor starts at offset 0.
    host(unsafe {
        host_syscall!(
            libc::SYS_openat,
            libc::AT_FDCWD,
            reopen.as_ptr(),
            libc::O_RDONLY | keep,
        )
    })
}

/// The text of `/proc/cpuinfo`: a stanza per hart, as RISC-V Linux's `show_cpuinfo`
/// prints them (vendor and implementation ids 0: no real core is claimed).
fn cpuinfo() -> String {
    // SAFETY: sysconf has no preconditions.
    let harts = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) }.max(1);
    let isa = super::hwprobe::isa_string();
    let mut out = String::new();
    for hart in 0..harts {
        let _ = write!(
            out,
            "processor\t: {hart}\nhart\t\t: {hart}\nisa\t\t: {isa}\nmmu\t\t: sv39\n\
             mvendorid\t: 0x0\nmarchid\t\t: 0x0\nmimpid\t\t: 0x0\n\n"
        );
    }
    out
}

/// Device and inode of a file, `(0, 0, 0)` if it cannot be looked at.
fn file_id(st: Option<libc::stat>) -> (u32, u32, u64) {
    st.map(|st| (libc::major(st.st_dev), libc::minor(st.st_dev), st.st_ino))
        .unwrap_or((0, 0, 0))
}

fn stat_fd(fd: i32) -> Option<libc::stat> {
    let mut st = std::mem::MaybeUninit::<libc::stat>::zeroed();
    // SAFETY: `st` is a host `struct stat` the kernel fills.
    let r = unsafe { libc::fstat(fd, st.as_mut_ptr()) };
    // SAFETY: filled by the successful call.
    (r == 0).then(|| unsafe { st.assume_init() })
}

fn stat_path(path: &str) -> Option<libc::stat> {
    let c = std::ffi::CString::new(path).ok()?;
    let mut st = std::mem::MaybeUninit::<libc::stat>::zeroed();
    // SAFETY: `c` is NUL-terminated and `st` a host `struct stat`.
    let r = unsafe { libc::stat(c.as_ptr(), st.as_mut_ptr()) };
    // SAFETY: filled by the successful call.
    (r == 0).then(|| unsafe { st.assume_init() })
}

/// The regions as Linux would hold them: neighbours that Linux would have merged into one
/// VMA (same permissions and origin, file offsets continuing) are one.
fn merged_regions(mem: &GuestMemory) -> Vec<Region> {
    let mut out: Vec<Region> = Vec::new();
    for r in mem.regions() {
        if let Some(last) = out.last_mut() {
            let continues = match (&last.kind, &r.kind) {
                (
                    RegionKind::File {
                        path: a,
                        offset: oa,
                    },
                    RegionKind::File {
                        path: b,
                        offset: ob,
                    },
                ) => a == b && oa + (last.end - last.start) == *ob,
                (a, b) => a == b,
            };
            if last.end == r.start && last.perm == r.perm && continues {
                last.end = r.end;
                continue;
            }
        }
        out.push(r.clone());
    }
    out
}

/// The text of `/proc/self/maps`: one line per region, as `show_map_vma` prints them.
pub(super) fn maps(state: &ProcessState, mem: &GuestMemory) -> String {
    let mut out = String::new();
    // A consistent picture: no other thread changes mappings meanwhile.
    let space = state.address_space();
    for r in &merged_regions(mem) {
        let shared = space.shared_file_maps.overlapping(r.start, r.end);
        let (offset, id, name) = match &r.kind {
            RegionKind::File { path, offset } => {
                let st = match shared.first().and_then(|(_, m)| m.fd.as_ref()) {
                    Some(fd) => stat_fd(fd.as_raw_fd()),
                    None => stat_path(path),
                };
                (*offset, file_id(st), Some(path.as_str()))
            }
            RegionKind::Heap => (0, (0, 0, 0), Some("[heap]")),
            RegionKind::Stack => (0, (0, 0, 0), Some("[stack]")),
            RegionKind::System(name) => (0, (0, 0, 0), Some(*name)),
            RegionKind::Anonymous => (0, (0, 0, 0), None),
        };
        let line = MapLine {
            start: r.start,
            end: r.end,
            perm: r.perm,
            shared: !shared.is_empty(),
            offset,
            id,
            name,
        };
        line.write(&mut out);
    }
    out
}

/// The text of `/proc/PID/maps` of another vm process, `None` if `pid` is not one (its
/// host file then answers). Made from the host's maps of its guest space and its
/// permission table (see `vm_memory::remote`): a line per run of pages with the same
/// guest permissions within one host mapping, neighbours merged as Linux merges VMAs.
/// Names are what the host shows: file paths, but no `[heap]` or `[stack]`, which
/// only the target knows.
fn other_guest_maps(pid: i32) -> Option<String> {
    let host = host_maps(pid).ok()?;
    let space = RemoteSpace::find(pid, &host).ok()??;
    let guest = space.host_range();
    let mut lines: Vec<MapLine> = Vec::new();
    // Unmapped guest pages are inaccessible host pages; every mapped one is accessible.
    for h in host
        .iter()
        .filter(|h| h.start >= guest.start && h.end <= guest.end && &h.perms[..3] != b"---")
    {
        let first = (h.start - guest.start) / PAGE_SIZE;
        let pages = space.pages(first, (h.end - h.start) / PAGE_SIZE).ok()?;
        let mut i = 0;
        while i < pages.len() {
            let state = pages[i];
            let run = pages[i..].iter().take_while(|p| **p == state).count();
            if state.mapped {
                let file = h.inode != 0;
                let line = MapLine {
                    start: (first + i as u64) * PAGE_SIZE,
                    end: (first + (i + run) as u64) * PAGE_SIZE,
                    perm: state.perm,
                    shared: h.perms[3] == b's',
                    offset: if file {
                        h.offset + i as u64 * PAGE_SIZE
                    } else {
                        0
                    },
                    id: (h.dev.0, h.dev.1, h.inode),
                    name: (!h.name.is_empty()).then_some(h.name.as_str()),
                };
                match lines.last_mut() {
                    Some(last) if last.continued_by(&line) => last.end = line.end,
                    _ => lines.push(line),
                }
            }
            i += run;
        }
    }
    let mut out = String::new();
    for line in &lines {
        line.write(&mut out);
    }
    Some(out)
}

/// One line of a maps file.
struct MapLine<'a> {
    start: u64,
    end: u64,
    perm: Perm,
    shared: bool,
    offset: u64,
    /// Device (major, minor) and inode.
    id: (u32, u32, u64),
    name: Option<&'a str>,
}

impl MapLine<'_> {
    /// Whether `next` continues this line in one VMA: adjacent, the same permissions
    /// and sharing, the same file at the following offset or both anonymous.
    fn continued_by(&self, next: &MapLine) -> bool {
        let offset_follows = next.id.2 == 0 || self.offset + (self.end - self.start) == next.offset;
        self.end == next.start
            && self.perm == next.perm
            && self.shared == next.shared
            && self.id == next.id
            && self.name == next.name
            && offset_follows
    }

    /// Appends the line as `show_map_vma` prints it.
    fn write(&self, out: &mut String) {
        let flag = |p: Perm, c: char| if self.perm.contains(p) { c } else { '-' };
        let line_start = out.len();
        let _ = write!(
            out,
            "{:08x}-{:08x} {}{}{}{} {:08x} {:02x}:{:02x} {} ",
            self.start,
            self.end,
            flag(Perm::R, 'r'),
            flag(Perm::W, 'w'),
            flag(Perm::X, 'x'),
            if self.shared { 's' } else { 'p' },
            self.offset,
            self.id.0,
            self.id.1,
            self.id.2,
        );
        if let Some(name) = self.name {
            // Names start in column 73 (or after one more space when the line is longer).
            while out.len() - line_start < 72 {
                out.push(' ');
            }
            out.push(' ');
            out.push_str(name);
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_lines_have_linux_columns_and_merged_neighbours() {
        let mem = GuestMemory::new().unwrap();
        let state = ProcessState::default();
        let file = RegionKind::File {
            path: "/nonexistent/prog".to_string(),
            offset: 0,
        };
        mem.map_fixed(0x10000, 0x1000, Perm::RX, file).unwrap();
        // Two brk steps make one heap, as Linux merges them into one VMA.
        mem.map_fixed(0x20000, 0x1000, Perm::RW, RegionKind::Heap)
            .unwrap();
        mem.map_fixed(0x21000, 0x2000, Perm::RW, RegionKind::Heap)
            .unwrap();
        mem.map_fixed(0x30000, 0x1000, Perm::R, RegionKind::Anonymous)
            .unwrap();
        let text = maps(&state, &mem);
        let expected = format!(
            "{:<73}/nonexistent/prog\n{:<73}[heap]\n{}\n",
            "00010000-00011000 r-xp 00000000 00:00 0",
            "00020000-00023000 rw-p 00000000 00:00 0",
            "00030000-00031000 r--p 00000000 00:00 0 ",
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn cpuinfo_describes_one_riscv_hart_per_host_cpu() {
        let text = cpuinfo();
        // SAFETY: sysconf has no preconditions.
        let cpus = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) }.max(1) as usize;
        let stanzas: Vec<&str> = text.trim_end().split("\n\n").collect();
        assert_eq!(stanzas.len(), cpus);
        for (i, stanza) in stanzas.iter().enumerate() {
            assert!(stanza.starts_with(&format!("processor\t: {i}\nhart\t\t: {i}\n")));
            assert!(stanza.contains("\nisa\t\t: rv64imafdcv_"), "{stanza}");
            assert!(stanza.contains("\nmmu\t\t: sv39\n"), "{stanza}");
        }
    }
}
