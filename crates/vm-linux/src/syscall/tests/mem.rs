//! The address space: brk, mmap, munmap, mprotect, mremap, madvise.

use super::*;
use crate::code_changes::CodeChange;
use crate::layout::MMAP_TOP;
use crate::syscall::abi::map;
use crate::syscall::numbers as nr;
use vm_memory::{Access, GUEST_SPACE};

const PAGE: u64 = PAGE_SIZE;
const RW: u64 = (libc::PROT_READ | libc::PROT_WRITE) as u64;
const R: u64 = libc::PROT_READ as u64;
const RX: u64 = (libc::PROT_READ | libc::PROT_EXEC) as u64;
const ANON: u64 = map::PRIVATE | map::ANONYMOUS;
const NO_FD: u64 = u64::MAX; // -1

fn mmap(g: &mut Guest, addr: u64, len: u64, prot: u64, flags: u64) -> i64 {
    g.call(nr::MMAP, &[addr, len, prot, flags, NO_FD, 0])
}

fn mmap_fd(g: &mut Guest, len: u64, prot: u64, flags: u64, fd: i64, off: u64) -> i64 {
    g.call(nr::MMAP, &[0, len, prot, flags, fd as u64, off])
}

fn readable(g: &Guest, addr: u64) -> bool {
    g.mem.check(addr, 1, Access::Read).is_ok()
}

fn writable(g: &Guest, addr: u64) -> bool {
    g.mem.check(addr, 1, Access::Write).is_ok()
}

#[test]
fn brk_grows_and_shrinks_the_heap() {
    let mut g = Guest::new();
    let start = 0x40_0000;
    g.state.address_space().brk.start = start;
    g.state.address_space().brk.current = start;
    assert_eq!(g.call(nr::BRK, &[0]), start as i64);
    // Grow by 10000 bytes: three pages, unaligned break.
    assert_eq!(g.call(nr::BRK, &[start + 10000]), (start + 10000) as i64);
    assert!(writable(&g, start) && writable(&g, start + 3 * PAGE - 1));
    assert!(!readable(&g, start + 3 * PAGE));
    let heap = g.mem.region_at(start).unwrap();
    assert_eq!(heap.kind, RegionKind::Heap);
    g.mem.write_u64(start + 8000, 42).unwrap();
    // Within the same page: only the break moves.
    assert_eq!(g.call(nr::BRK, &[start + 9000]), (start + 9000) as i64);
    assert!(writable(&g, start + 3 * PAGE - 1));
    // Shrink to one page: the rest is gone; growing again gives zero pages.
    assert_eq!(g.call(nr::BRK, &[start + 100]), (start + 100) as i64);
    assert!(!readable(&g, start + PAGE));
    assert_eq!(
        g.call(nr::BRK, &[start + 3 * PAGE]),
        (start + 3 * PAGE) as i64
    );
    assert_eq!(g.u64_at(start + 8000), 0);
    // Below the start, or past the space: the break stays.
    let cur = (start + 3 * PAGE) as i64;
    assert_eq!(g.call(nr::BRK, &[start - 1]), cur);
    assert_eq!(g.call(nr::BRK, &[GUEST_SPACE + PAGE]), cur);
    // Never over another mapping (nor right up against it: Linux keeps a guard page).
    let wall = start + 8 * PAGE;
    assert_eq!(mmap(&mut g, wall, PAGE, RW, ANON | map::FIXED), wall as i64);
    assert_eq!(g.call(nr::BRK, &[wall + 1]), cur);
    assert_eq!(g.call(nr::BRK, &[wall]), cur);
    assert_eq!(g.call(nr::BRK, &[wall - PAGE]), (wall - PAGE) as i64);
}

#[test]
fn anonymous_mmap_is_top_down_and_honours_free_hints() {
    let mut g = Guest::new();
    let a = mmap(&mut g, 0, 3 * PAGE, RW, ANON);
    assert_eq!(a as u64, MMAP_TOP - 3 * PAGE);
    let b = mmap(&mut g, 0, 5000, RW, ANON);
    assert_eq!(b as u64, MMAP_TOP - 5 * PAGE);
    assert_eq!(g.u64_at(b as u64 + 4096), 0);
    assert!(writable(&g, b as u64 + 2 * PAGE - 1));
    // A free hint is taken (rounded down to a page).
    let hint = 0x2000_0000;
    assert_eq!(mmap(&mut g, hint + 123, PAGE, RW, ANON), hint as i64);
    // An occupied hint is not.
    let c = mmap(&mut g, hint, PAGE, RW, ANON);
    assert_ne!(c, hint as i64);
    assert_eq!(c as u64, MMAP_TOP - 6 * PAGE);
    // A hint below mmap_min_addr is raised to it.
    assert_eq!(mmap(&mut g, 0x1000, PAGE, RW, ANON), 0x10000);
    // Freed space is reused, highest first.
    assert_eq!(g.call(nr::MUNMAP, &[a as u64, 3 * PAGE]), 0);
    assert_eq!(mmap(&mut g, 0, PAGE, R, ANON) as u64, MMAP_TOP - PAGE);
    assert!(readable(&g, MMAP_TOP - PAGE) && !writable(&g, MMAP_TOP - PAGE));
}

#[test]
fn mmap_fixed_replaces_and_noreplace_refuses() {
    let mut g = Guest::new();
    let at = SCRATCH + 2 * PAGE;
    g.mem.write_u64(at, 7).unwrap();
    assert_eq!(mmap(&mut g, at, PAGE, R, ANON | map::FIXED), at as i64);
    assert_eq!(g.u64_at(at), 0);
    assert!(!writable(&g, at) && writable(&g, at + PAGE));
    let noreplace = ANON | map::FIXED_NOREPLACE;
    assert_eq!(
        mmap(&mut g, at, PAGE, RW, noreplace),
        -(libc::EEXIST as i64)
    );
    assert_eq!(
        mmap(&mut g, at - 0x10_0000, PAGE, RW, noreplace),
        (at - 0x10_0000) as i64
    );
    // Errors.
    assert_eq!(mmap(&mut g, at + 1, PAGE, RW, ANON | map::FIXED), EINVAL);
    assert_eq!(
        mmap(&mut g, 0x1000, PAGE, RW, ANON | map::FIXED),
        -(libc::EPERM as i64)
    );
    assert_eq!(
        mmap(&mut g, GUEST_SPACE - PAGE, 2 * PAGE, RW, ANON | map::FIXED),
        ENOMEM
    );
    assert_eq!(mmap(&mut g, 0, 0, RW, ANON), EINVAL);
    assert_eq!(mmap(&mut g, 0, u64::MAX - 10, RW, ANON), ENOMEM);
    assert_eq!(mmap(&mut g, 0, GUEST_SPACE, RW, ANON), ENOMEM);
    assert_eq!(mmap(&mut g, 0, PAGE, RW, map::ANONYMOUS), EINVAL); // no type
    assert_eq!(
        mmap(&mut g, 0, PAGE, RW, map::SHARED_VALIDATE | map::ANONYMOUS),
        EINVAL
    );
    assert_eq!(g.call(nr::MMAP, &[0, PAGE, RW, ANON, NO_FD, 100]), EINVAL);
    assert_eq!(
        g.call(nr::MMAP, &[0, PAGE, RW, map::PRIVATE, 999, 0]),
        EBADF
    );
    // Shared anonymous memory is ordinary memory for a single process.
    let s = mmap(&mut g, 0, PAGE, RW, map::SHARED | map::ANONYMOUS);
    assert!(writable(&g, s as u64));
}

/// A temporary file of `len` bytes, byte `i` being `i % 251`.
fn patterned_file(name: &str, len: usize) -> (std::path::PathBuf, Vec<u8>) {
    let dir = temp_dir(name);
    let path = dir.join("data");
    let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &data).unwrap();
    (path, data)
}

fn open(g: &mut Guest, path: &std::path::Path, flags: i32) -> i64 {
    let p = g.put_str(SCRATCH, s(path));
    let fd = g.call(nr::OPENAT, &[libc::AT_FDCWD as u64, p, flags as u64]);
    assert!(fd >= 0);
    fd
}

#[test]
fn private_file_mapping_copies_the_file() {
    let mut g = Guest::new();
    let (path, data) = patterned_file("mmap-private", 3 * PAGE as usize + 100);
    let fd = open(&mut g, &path, libc::O_RDONLY);
    // Map 5 pages from offset 1 page: 2 pages + 100 bytes of file, zeros to the end of
    // that page, then two pages wholly past the end of the file, which fault (SIGBUS).
    let a = mmap_fd(&mut g, 5 * PAGE, R, map::PRIVATE, fd, PAGE) as u64;
    assert_eq!(g.bytes(a, 2 * PAGE + 100), &data[PAGE as usize..]);
    assert!(g
        .bytes(a + 2 * PAGE + 100, PAGE - 100)
        .iter()
        .all(|&b| b == 0));
    for page in [3, 4] {
        let fault = g.mem.read::<1>(a + page * PAGE + 8).unwrap_err();
        assert_eq!(fault.kind, vm_memory::FaultKind::PastEndOfFile);
    }
    assert!(!writable(&g, a));
    match &g.mem.region_at(a).unwrap().kind {
        RegionKind::File { path: p, offset } => {
            assert_eq!(p, s(&path));
            assert_eq!(*offset, PAGE);
        }
        k => panic!("kind {k:?}"),
    }
    // Private and writable: changes stay in memory.
    let b = mmap_fd(&mut g, PAGE, RW, map::PRIVATE, fd, 0) as u64;
    g.mem.write_bytes(b, b"changed").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), data);
    // Errors: unaligned offset, not a mappable file, write-only descriptor.
    assert_eq!(mmap_fd(&mut g, PAGE, R, map::PRIVATE, fd, 1), EINVAL);
    let dir = open(&mut g, path.parent().unwrap(), libc::O_RDONLY);
    assert_eq!(
        mmap_fd(&mut g, PAGE, R, map::PRIVATE, dir, 0),
        -(libc::ENODEV as i64)
    );
    let wr = open(&mut g, &path, libc::O_WRONLY);
    assert_eq!(
        mmap_fd(&mut g, PAGE, R, map::PRIVATE, wr, 0),
        -(libc::EACCES as i64)
    );
    for f in [fd, dir, wr] {
        g.call(nr::CLOSE, &[f as u64]);
    }
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn shared_file_mapping_writes_reach_the_file() {
    let mut g = Guest::new();
    let (path, mut data) = patterned_file("mmap-shared", 2 * PAGE as usize);
    let fd = open(&mut g, &path, libc::O_RDWR);
    let a = mmap_fd(&mut g, 3 * PAGE, RW, map::SHARED, fd, 0) as u64;
    assert_eq!(g.bytes(a, 2 * PAGE), data);
    g.mem.write_bytes(a + 10, b"SHARED").unwrap();
    data[10..16].copy_from_slice(b"SHARED");
    assert_eq!(std::fs::read(&path).unwrap(), data);
    // The descriptor may be closed; the mapping stays.
    g.call(nr::CLOSE, &[fd as u64]);
    g.mem.write_bytes(a + 20, b"!").unwrap();
    assert_eq!(std::fs::read(&path).unwrap()[20], b'!');
    // A read-only descriptor: PROT_WRITE is refused, at mmap and at mprotect.
    let ro = open(&mut g, &path, libc::O_RDONLY);
    assert_eq!(
        mmap_fd(&mut g, PAGE, RW, map::SHARED, ro, 0),
        -(libc::EACCES as i64)
    );
    let b = mmap_fd(&mut g, PAGE, R, map::SHARED, ro, 0) as u64;
    assert_eq!(g.bytes(b + 10, 6), b"SHARED");
    assert_eq!(g.call(nr::MPROTECT, &[b, PAGE, RW]), -(libc::EACCES as i64));
    assert!(!writable(&g, b));
    // Private mappings of it may become writable.
    let c = mmap_fd(&mut g, PAGE, R, map::PRIVATE, ro, 0) as u64;
    assert_eq!(g.call(nr::MPROTECT, &[c, PAGE, RW]), 0);
    // The VM's own duplicate of the descriptor is not the guest's to close.
    let held = g
        .state
        .address_space()
        .shared_file_maps
        .overlapping(b, b + 1)[0]
        .1
        .fd
        .clone()
        .unwrap();
    use std::os::fd::AsRawFd;
    assert_eq!(g.call(nr::CLOSE, &[held.as_raw_fd() as u64]), EBADF);
    // Nor to take a copy of through a pidfd of this process.
    let pidfd = g.call(nr::PIDFD_OPEN, &[std::process::id() as u64, 0]);
    assert!(pidfd >= 0, "{pidfd}");
    let target = held.as_raw_fd() as u64;
    assert_eq!(g.call(nr::PIDFD_GETFD, &[pidfd as u64, target, 0]), EBADF);
    g.call(nr::CLOSE, &[pidfd as u64]);
    // MAP_SHARED_VALIDATE refuses unknown flags.
    let validate = map::SHARED_VALIDATE | 0x8000_0000;
    assert_eq!(
        mmap_fd(&mut g, PAGE, R, validate, ro, 0),
        -(libc::EOPNOTSUPP as i64)
    );
    g.call(nr::CLOSE, &[ro as u64]);
    // Unmapping forgets the pieces.
    assert_eq!(g.call(nr::MUNMAP, &[b, PAGE]), 0);
    assert!(g
        .state
        .address_space()
        .shared_file_maps
        .overlapping(b, b + PAGE)
        .is_empty());
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn munmap_checks_and_invalidates_code() {
    let mut g = Guest::new();
    let a = mmap(&mut g, 0, 4 * PAGE, RW, ANON) as u64;
    assert_eq!(g.call(nr::MUNMAP, &[a + 1, PAGE]), EINVAL);
    assert_eq!(g.call(nr::MUNMAP, &[a, 0]), EINVAL);
    assert_eq!(g.call(nr::MUNMAP, &[GUEST_SPACE - PAGE, 2 * PAGE]), EINVAL);
    // Unmapping the middle; unmapped parts of a range are fine.
    assert_eq!(g.call(nr::MUNMAP, &[a + PAGE, 1]), 0);
    assert!(readable(&g, a) && !readable(&g, a + PAGE) && readable(&g, a + 2 * PAGE));
    assert_eq!(g.call(nr::MUNMAP, &[a, 2 * PAGE]), 0);
    assert!(!g.code_invalidated());
    // Executable pages: the engine must drop translations.
    let x = mmap(&mut g, 0, PAGE, RX, ANON) as u64;
    assert!(!g.code_invalidated());
    assert_eq!(g.call(nr::MUNMAP, &[x, PAGE]), 0);
    assert!(g.code_invalidated());
    // As must mmap over executable pages, and mprotect changing them.
    g.code_invalidated();
    let y = mmap(&mut g, 0, 2 * PAGE, RX, ANON) as u64;
    assert_eq!(mmap(&mut g, y, PAGE, RW, ANON | map::FIXED), y as i64);
    assert!(g.code_invalidated());
    g.code_invalidated();
    assert_eq!(g.call(nr::MPROTECT, &[y + PAGE, PAGE, RX]), 0);
    assert!(!g.code_invalidated(), "same protection: nothing changes");
    assert_eq!(g.call(nr::MPROTECT, &[y + PAGE, PAGE, RW]), 0);
    assert!(g.code_invalidated());
}

/// The code changes recorded since generation `seen`.
fn code_changes(g: &Guest, seen: u64) -> Vec<CodeChange> {
    g.state.signals.group.code.since(seen).0
}

#[test]
fn code_changes_name_the_executable_pages_concerned() {
    let mut g = Guest::new();
    let x = mmap(&mut g, 0, 2 * PAGE, RX, ANON) as u64;
    let seen = g.state.signals.group.code.generation();
    // mmap over part of it, then unmapping the whole: only executable pages count.
    assert_eq!(mmap(&mut g, x, PAGE, RW, ANON | map::FIXED), x as i64);
    assert_eq!(g.call(nr::MUNMAP, &[x - PAGE, 4 * PAGE]), 0);
    let range = |start, end| CodeChange::Range { start, end };
    assert_eq!(
        code_changes(&g, seen),
        vec![range(x, x + PAGE), range(x + PAGE, x + 2 * PAGE)]
    );
}

#[test]
fn riscv_flush_icache_names_its_range_unless_the_bytes_may_be_aliased() {
    let mut g = Guest::new();
    let rwx = RW | RX;
    let private = mmap(&mut g, 0, PAGE, rwx, ANON) as u64;
    let shared = mmap(&mut g, 0, PAGE, rwx, map::SHARED | map::ANONYMOUS) as u64;
    let mut flush = |start: u64, end: u64, flags: u64| {
        let seen = g.state.signals.group.code.generation();
        let ret = g.call(nr::RISCV_FLUSH_ICACHE, &[start, end, flags]);
        (ret, code_changes(&g, seen))
    };
    let range = CodeChange::Range {
        start: private + 8,
        end: private + 16,
    };
    assert_eq!(flush(private + 8, private + 16, 0), (0, vec![range]));
    assert_eq!(
        flush(private + 8, private + 16, 1),
        (0, vec![range]),
        "LOCAL"
    );
    // Shared memory may be mapped at another address too; an empty range names nothing.
    let all = vec![CodeChange::All];
    assert_eq!(flush(shared, shared + 8, 0), (0, all.clone()));
    assert_eq!(flush(private + 8, shared + 8, 0).1, all);
    assert_eq!(flush(private + 8, private + 8, 0), (0, all.clone()));
    assert_eq!(flush(0, 0, 0), (0, all));
    assert_eq!(flush(private, private + 8, 2), (EINVAL, vec![]));
}

#[test]
fn mprotect_semantics() {
    let mut g = Guest::new();
    let a = mmap(&mut g, 0, 2 * PAGE, RW, ANON) as u64;
    assert_eq!(g.call(nr::MPROTECT, &[a, 1, R]), 0);
    assert!(!writable(&g, a) && writable(&g, a + PAGE));
    assert_eq!(g.call(nr::MPROTECT, &[a, PAGE, 0]), 0);
    assert!(!readable(&g, a));
    assert_eq!(g.call(nr::MPROTECT, &[a + 1, PAGE, R]), EINVAL);
    assert_eq!(g.call(nr::MPROTECT, &[a, PAGE, 0x40]), EINVAL);
    assert_eq!(g.call(nr::MPROTECT, &[a, 0, R]), 0);
    assert_eq!(g.call(nr::MPROTECT, &[UNMAPPED, PAGE, R]), ENOMEM);
    assert_eq!(g.call(nr::MPROTECT, &[a, u64::MAX - 10, R]), ENOMEM);
    // A range running past the mapping: the mapped part changes, then ENOMEM.
    assert_eq!(g.call(nr::MPROTECT, &[a, 3 * PAGE, RW]), ENOMEM);
    assert!(writable(&g, a) && writable(&g, a + PAGE));
}

#[test]
fn mremap_grows_in_place_moves_and_shrinks() {
    let mut g = Guest::new();
    // Room after the mapping: grows in place (twice, across the regions that makes).
    let a = mmap(&mut g, 0x3000_0000, 2 * PAGE, RW, ANON) as u64;
    assert_eq!(a, 0x3000_0000);
    g.mem.write_u64(a + 8, 0x1122).unwrap();
    assert_eq!(g.call(nr::MREMAP, &[a, 2 * PAGE, 4 * PAGE, 0, 0]), a as i64);
    assert!(writable(&g, a + 4 * PAGE - 1));
    assert_eq!(g.call(nr::MREMAP, &[a, 4 * PAGE, 6 * PAGE, 0, 0]), a as i64);
    assert_eq!(g.u64_at(a + 8), 0x1122);
    // Blocked: ENOMEM without MAYMOVE, a move with it (contents kept, old range gone).
    let wall = a + 6 * PAGE;
    assert_eq!(mmap(&mut g, wall, PAGE, R, ANON | map::FIXED), wall as i64);
    g.mem.write_u64(a + 5 * PAGE, 0x3344).unwrap();
    assert_eq!(g.call(nr::MREMAP, &[a, 6 * PAGE, 8 * PAGE, 0, 0]), ENOMEM);
    let b = g.call(nr::MREMAP, &[a, 6 * PAGE, 8 * PAGE, 1, 0]) as u64;
    assert_ne!(b, a);
    assert_eq!(g.u64_at(b + 8), 0x1122);
    assert_eq!(g.u64_at(b + 5 * PAGE), 0x3344);
    assert!(writable(&g, b + 8 * PAGE - 1));
    assert!(!readable(&g, a));
    // Shrink in place.
    assert_eq!(g.call(nr::MREMAP, &[b, 8 * PAGE, PAGE, 0, 0]), b as i64);
    assert!(readable(&g, b) && !readable(&g, b + PAGE));
    // MREMAP_FIXED to a chosen address, replacing what was there.
    let to = 0x3800_0000;
    assert_eq!(mmap(&mut g, to, PAGE, R, ANON | map::FIXED), to as i64);
    assert_eq!(g.call(nr::MREMAP, &[b, PAGE, 2 * PAGE, 3, to]), to as i64);
    assert_eq!(g.u64_at(to + 8), 0x1122);
    assert!(writable(&g, to) && writable(&g, to + 2 * PAGE - 1) && !readable(&g, b));
}

#[test]
fn mremap_moves_keep_protection_and_shared_files() {
    let mut g = Guest::new();
    // A read-only private mapping moves with its contents and protection.
    let a = mmap(&mut g, 0x3000_0000, PAGE, RW, ANON) as u64;
    g.mem.write_u64(a, 99).unwrap();
    assert_eq!(g.call(nr::MPROTECT, &[a, PAGE, R]), 0);
    assert_eq!(
        mmap(&mut g, a + PAGE, PAGE, R, ANON | map::FIXED),
        (a + PAGE) as i64
    );
    let b = g.call(nr::MREMAP, &[a, PAGE, 2 * PAGE, 1, 0]) as u64;
    assert_eq!(g.u64_at(b), 99);
    assert!(readable(&g, b + PAGE) && !writable(&g, b));
    // A shared file mapping moved still writes to the file, and grows into it.
    let (path, _) = patterned_file("mremap-shared", 3 * PAGE as usize);
    let fd = open(&mut g, &path, libc::O_RDWR);
    let s = mmap_fd(&mut g, PAGE, RW, map::SHARED, fd, 0) as u64;
    g.call(nr::CLOSE, &[fd as u64]);
    assert_eq!(
        mmap(&mut g, s + PAGE, PAGE, R, ANON | map::FIXED),
        (s + PAGE) as i64
    );
    let t = g.call(nr::MREMAP, &[s, PAGE, 3 * PAGE, 1, 0]) as u64;
    assert_ne!(t, s);
    g.mem.write_bytes(t, b"moved").unwrap();
    g.mem.write_bytes(t + 2 * PAGE, b"grown").unwrap();
    let file = std::fs::read(&path).unwrap();
    assert_eq!(&file[..5], b"moved");
    assert_eq!(&file[2 * PAGE as usize..2 * PAGE as usize + 5], b"grown");
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn mremap_dontunmap_leaves_fresh_pages_behind() {
    let mut g = Guest::new();
    let a = mmap(&mut g, 0, PAGE, RW, ANON) as u64;
    g.mem.write_u64(a, 77).unwrap();
    let b = g.call(nr::MREMAP, &[a, PAGE, PAGE, 1 | 4, 0]) as u64;
    assert_ne!(b, a);
    assert_eq!(g.u64_at(b), 77);
    assert!(writable(&g, a));
    assert_eq!(g.u64_at(a), 0);
    // DONTUNMAP needs MAYMOVE and equal sizes.
    assert_eq!(g.call(nr::MREMAP, &[b, PAGE, PAGE, 4, 0]), EINVAL);
    assert_eq!(g.call(nr::MREMAP, &[b, PAGE, 2 * PAGE, 5, 0]), EINVAL);
}

#[test]
fn mremap_errors() {
    let mut g = Guest::new();
    let a = mmap(&mut g, 0, 2 * PAGE, RW, ANON) as u64;
    assert_eq!(
        g.call(nr::MREMAP, &[UNMAPPED, PAGE, 2 * PAGE, 1, 0]),
        EFAULT
    );
    assert_eq!(g.call(nr::MREMAP, &[a + 1, PAGE, 2 * PAGE, 1, 0]), EINVAL);
    assert_eq!(g.call(nr::MREMAP, &[a, PAGE, 0, 1, 0]), EINVAL);
    assert_eq!(g.call(nr::MREMAP, &[a, PAGE, 2 * PAGE, 8, 0]), EINVAL);
    assert_eq!(
        g.call(nr::MREMAP, &[a, PAGE, 2 * PAGE, 2, 0x5000_0000]),
        EINVAL
    );
    // Lengths running past the address space.
    assert_eq!(
        g.call(nr::MREMAP, &[a, u64::MAX - 2 * PAGE, PAGE, 0, 0]),
        EINVAL
    );
    assert_eq!(
        g.call(nr::MREMAP, &[a, u64::MAX - 2 * PAGE, PAGE, 3, 0x5000_0000]),
        EINVAL
    );
    assert_eq!(
        g.call(nr::MREMAP, &[a, PAGE, u64::MAX - 2 * PAGE, 1, 0]),
        ENOMEM
    );
    // The old range must lie inside one mapping.
    assert_eq!(g.call(nr::MREMAP, &[a, 3 * PAGE, 4 * PAGE, 1, 0]), EFAULT);
    // MREMAP_FIXED onto an overlapping or unaligned target.
    assert_eq!(
        g.call(nr::MREMAP, &[a, 2 * PAGE, PAGE, 3, a + PAGE]),
        EINVAL
    );
    assert_eq!(g.call(nr::MREMAP, &[a, PAGE, PAGE, 3, 0x5000_0001]), EINVAL);
}

#[test]
fn madvise_dontneed_zeroes_private_pages() {
    let mut g = Guest::new();
    let a = mmap(&mut g, 0, 2 * PAGE, RW, ANON) as u64;
    g.mem.write_u64(a, 5).unwrap();
    g.mem.write_u64(a + PAGE, 6).unwrap();
    assert_eq!(g.call(nr::MADVISE, &[a, PAGE, 4]), 0);
    assert_eq!(g.u64_at(a), 0);
    assert_eq!(g.u64_at(a + PAGE), 6);
    assert!(writable(&g, a));
    // Other advice is accepted and changes nothing.
    assert_eq!(g.call(nr::MADVISE, &[a, 2 * PAGE, 3]), 0); // WILLNEED
    assert_eq!(g.u64_at(a + PAGE), 6);
    // Errors.
    assert_eq!(g.call(nr::MADVISE, &[a + 1, PAGE, 4]), EINVAL);
    assert_eq!(g.call(nr::MADVISE, &[a, PAGE, 77]), EINVAL);
    assert_eq!(g.call(nr::MADVISE, &[a, 0, 4]), 0);
    assert_eq!(g.call(nr::MADVISE, &[a, 3 * PAGE, 0]), ENOMEM);
    // Shared file pages keep the file's contents.
    let (path, data) = patterned_file("madvise", PAGE as usize);
    let fd = open(&mut g, &path, libc::O_RDWR);
    let s = mmap_fd(&mut g, PAGE, RW, map::SHARED, fd, 0) as u64;
    assert_eq!(g.call(nr::MADVISE, &[s, PAGE, 4]), 0);
    assert_eq!(g.bytes(s, 16), &data[..16]);
    g.call(nr::CLOSE, &[fd as u64]);
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn dev_zero_maps_as_anonymous_memory() {
    let mut g = Guest::new();
    let fd = open(&mut g, std::path::Path::new("/dev/zero"), libc::O_RDWR);
    let a = mmap_fd(&mut g, PAGE, RW, map::PRIVATE, fd, 0) as u64;
    assert_eq!(g.u64_at(a), 0);
    g.mem.write_u64(a, 1).unwrap();
    g.call(nr::CLOSE, &[fd as u64]);
}

#[test]
fn msync_checks_alignment_and_holes_and_syncs_shared_maps() {
    let mut g = Guest::new();
    let (path, _) = patterned_file("msync", 2 * PAGE as usize);
    let fd = open(&mut g, &path, libc::O_RDWR);
    let a = mmap_fd(&mut g, 2 * PAGE, RW, map::SHARED, fd, 0) as u64;
    g.mem.write_bytes(a, b"Z").unwrap();
    const SYNC: u64 = 4;
    const ASYNC: u64 = 1;
    assert_eq!(g.call(nr::MSYNC, &[a, 2 * PAGE, SYNC]), 0);
    assert_eq!(std::fs::read(&path).unwrap()[0], b'Z');
    assert_eq!(g.call(nr::MSYNC, &[a + 1, 10, SYNC]), EINVAL);
    assert_eq!(g.call(nr::MSYNC, &[a, PAGE, SYNC | ASYNC]), EINVAL);
    assert_eq!(g.call(nr::MSYNC, &[a, PAGE, 0x100]), EINVAL);
    assert_eq!(g.call(nr::MSYNC, &[a, 0, SYNC]), 0);
    // Private anonymous memory: nothing to do.
    assert_eq!(g.call(nr::MSYNC, &[SCRATCH, PAGE, ASYNC]), 0);
    // Holes are ENOMEM.
    assert_eq!(
        g.call(nr::MSYNC, &[UNMAPPED & !(PAGE - 1), PAGE, SYNC]),
        ENOMEM
    );
    assert_eq!(g.call(nr::MSYNC, &[a, 3 * PAGE, ASYNC]), ENOMEM);
}

#[test]
fn a_raised_stack_limit_grows_the_stack_down_to_a_guard_gap_above_other_mappings() {
    use crate::layout::{MAX_STACK_SIZE, STACK_TOP};
    use vm_memory::RegionKind;
    let mut g = Guest::new();
    let stack_bottom = STACK_TOP - (8 << 20);
    g.mem
        .map_fixed(stack_bottom, 8 << 20, Perm::RW, RegionKind::Stack)
        .unwrap();
    let stack = libc::RLIMIT_STACK as u64;
    let set = |g: &mut Guest, soft: u64| {
        g.mem.write_u64(SCRATCH, soft).unwrap();
        g.mem.write_u64(SCRATCH + 8, libc::RLIM_INFINITY).unwrap();
        assert_eq!(g.call(nr::SETRLIMIT, &[stack, SCRATCH]), 0);
    };
    // The bottom of the run of stack regions ending at the top.
    let bottom = |g: &Guest| {
        let mut bottom = STACK_TOP;
        for r in g.mem.regions_in(0, STACK_TOP).iter().rev() {
            if r.end != bottom || r.kind != RegionKind::Stack || r.perm != Perm::RW {
                break;
            }
            bottom = r.start;
        }
        bottom
    };
    // Raised to 16 MiB: the mapping reaches it, read-write.
    set(&mut g, 16 << 20);
    assert_eq!(bottom(&g), STACK_TOP - (16 << 20));
    // Lowered: nothing is taken away.
    set(&mut g, 1 << 20);
    assert_eq!(bottom(&g), STACK_TOP - (16 << 20));
    // Something mapped 40 MiB down stops the growth 1 MiB above its end.
    let obstacle = STACK_TOP - (40 << 20);
    g.mem
        .map_fixed(obstacle - 0x1000, 0x1000, Perm::RW, RegionKind::Anonymous)
        .unwrap();
    set(&mut g, 64 << 20);
    assert_eq!(bottom(&g), obstacle + (1 << 20));
    // Unlimited, with the obstacle gone: the largest stack, clear of the trampoline page.
    g.mem.unmap(obstacle - 0x1000, 0x1000).unwrap();
    set(&mut g, libc::RLIM_INFINITY);
    assert_eq!(bottom(&g), STACK_TOP - MAX_STACK_SIZE);
}

#[test]
fn locking_past_the_guest_space_is_enomem_not_a_panic() {
    // Found by the system-call fuzzer: a start past the guest space made the region
    // search see an inverted range.
    let mut g = Guest::new();
    let enomem = -(libc::ENOMEM as i64);
    for start in [GUEST_SPACE, GUEST_SPACE + 0x1000, 0x7fff_ffff_f000] {
        assert_eq!(g.call(nr::MUNLOCK, &[start, 0x13000]), enomem, "{start:#x}");
        assert_eq!(g.call(nr::MLOCK, &[start, 0x13000]), enomem, "{start:#x}");
    }
}
