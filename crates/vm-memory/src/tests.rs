use crate::*;

fn mem() -> GuestMemory {
    GuestMemory::new().expect("reserve guest space")
}

#[test]
fn unmapped_access_is_a_fault_not_a_crash() {
    let m = mem();
    let f = m.read_u64(0x1234).unwrap_err();
    assert_eq!(
        f,
        MemFault {
            addr: 0x1234,
            access: Access::Read,
            kind: FaultKind::Unmapped
        }
    );
    assert!(
        m.read_u64(GUEST_SPACE - 4).is_err(),
        "straddles the end of the space"
    );
    assert!(m.read_u64(u64::MAX - 3).is_err(), "wraps around");
    assert!(m.read::<1>(GUEST_SPACE).is_err());
}

#[test]
fn mapped_memory_reads_back_and_respects_permissions() {
    let m = mem();
    m.map_fixed(0x10000, 0x2000, Perm::RW, RegionKind::Anonymous)
        .unwrap();
    assert_eq!(m.read_u64(0x10ff8).unwrap(), 0, "fresh pages are zero");
    m.write_u64(0x10ffc, 0x1122_3344_5566_7788).unwrap();
    assert_eq!(
        m.read_u64(0x10ffc).unwrap(),
        0x1122_3344_5566_7788,
        "crosses a page"
    );
    m.protect(0x11000, 0x1000, Perm::R).unwrap();
    let f = m.write_u64(0x10ffc, 0).unwrap_err();
    assert_eq!(
        f,
        MemFault {
            addr: 0x11000,
            access: Access::Write,
            kind: FaultKind::Protection
        }
    );
    assert_eq!(
        m.read_u64(0x10ffc).unwrap(),
        0x1122_3344_5566_7788,
        "failed write changed nothing"
    );
    assert!(m.fetch_u16(0x10000).is_none(), "not executable");
    m.protect(0x10000, 0x1000, Perm::RX).unwrap();
    assert_eq!(m.fetch_u16(0x10000), Some(0));
}

#[test]
fn unmap_discards_contents_and_splits_regions() {
    let m = mem();
    m.map_fixed(0x20000, 0x3000, Perm::RW, RegionKind::Anonymous)
        .unwrap();
    m.write_u64(0x21000, 7).unwrap();
    m.unmap(0x21000, 0x1000).unwrap();
    assert!(m.read_u64(0x21000).is_err());
    m.map_fixed(0x21000, 0x1000, Perm::RW, RegionKind::Anonymous)
        .unwrap();
    assert_eq!(m.read_u64(0x21000).unwrap(), 0);
    let spans: Vec<_> = m.regions().iter().map(|r| (r.start, r.end)).collect();
    assert_eq!(
        spans,
        vec![(0x20000, 0x21000), (0x21000, 0x22000), (0x22000, 0x23000)]
    );
}

#[test]
fn protect_of_unmapped_range_is_refused() {
    let m = mem();
    m.map_fixed(0x20000, 0x1000, Perm::RW, RegionKind::Anonymous)
        .unwrap();
    assert_eq!(
        m.protect(0x20000, 0x2000, Perm::R),
        Err(MapError::NotMapped)
    );
    assert_eq!(
        m.map_fixed(0x20001, 0x1000, Perm::R, RegionKind::Anonymous),
        Err(MapError::Invalid)
    );
}

#[test]
fn free_range_search_goes_top_down_around_mappings() {
    let m = mem();
    m.map_fixed(0x7000_0000, 0x1000, Perm::R, RegionKind::Anonymous)
        .unwrap();
    assert_eq!(m.find_free_below(0x2000, 0x7000_1000), Some(0x6fff_e000));
    assert_eq!(m.find_free_below(0x1000, 0x8000_0000), Some(0x7fff_f000));
    m.map_fixed(0x7fff_f000, 0x1000, Perm::R, RegionKind::Anonymous)
        .unwrap();
    assert_eq!(m.find_free_below(0x1000, 0x8000_0000), Some(0x7fff_e000));
    assert!(m.is_free(0x7fff_e000, 0x1000));
    assert!(!m.is_free(0x7fff_e000, 0x2000));
}

#[test]
fn cstr_reads_hold_no_nul_while_another_thread_writes_the_string() {
    // Found by the system-call fuzzer: execve's strings were searched for their NUL in
    // guest memory, then copied; a NUL written in between reached CString::new's
    // expect and vm panicked.
    let m = mem();
    m.map_fixed(0x10000, 0x3000, Perm::RW, RegionKind::Anonymous)
        .unwrap();
    m.write_bytes(0x10000, &[b'b'; 0x3000]).unwrap();
    m.write_bytes(0x12fff, b"\0").unwrap();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let mut with_nul = 0;
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut i = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let at = 0x10000 + (i * 0x9e5) % 0x2fff;
                let _ = m.write_bytes(at, b"\0");
                let _ = m.write_bytes(at, b"b");
                i += 1;
            }
        });
        for _ in 0..2000 {
            if let Ok(Some(s)) = m.read_cstr(0x10000, 0x4000) {
                with_nul += usize::from(s.contains(&0));
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    assert_eq!(with_nul, 0, "strings read with a NUL inside");
}

#[test]
fn cstr_reads_stop_at_nul_and_at_the_limit() {
    let m = mem();
    m.map_fixed(0x10000, 0x2000, Perm::RW, RegionKind::Anonymous)
        .unwrap();
    m.write_bytes(0x10ffe, b"abc\0").unwrap();
    assert_eq!(m.read_cstr(0x10ffe, 100).unwrap(), Some(b"abc".to_vec()));
    assert_eq!(m.read_cstr(0x10ffe, 2).unwrap(), None);
    m.write_bytes(0x11ff0, &[b'x'; 16]).unwrap();
    assert!(m.read_cstr(0x11ff0, 100).is_err(), "runs off the mapping");
}

#[test]
fn addresses_near_the_top_of_u64_fault_without_overflow() {
    let m = mem();
    assert!(m.read_cstr(u64::MAX - 2, 100).is_err());
    assert!(m.read_cstr(GUEST_SPACE, 100).is_err());
    assert!(m.region_at(u64::MAX).is_none());
    assert!(m.slice(u64::MAX, 2).is_err());
    assert!(!m.is_mapped(u64::MAX - 4096, 8192));
}

#[test]
fn pages_past_the_end_of_a_file_fault_until_mapped_anew() {
    let m = mem();
    m.map_fixed(0x20000, 0x3000, Perm::RW, RegionKind::Anonymous)
        .unwrap();
    m.mark_past_end_of_file(0x21000, 0x1000).unwrap();
    let past = |addr, access| MemFault {
        addr,
        access,
        kind: FaultKind::PastEndOfFile,
    };
    assert_eq!(
        m.read::<1>(0x21010).unwrap_err(),
        past(0x21010, Access::Read)
    );
    assert_eq!(
        m.write_u64(0x20ffc, 7).unwrap_err(),
        past(0x21000, Access::Write),
        "the fault is at the first byte past the end"
    );
    assert_eq!(m.read_u64(0x20ff0).unwrap(), 0, "the page before is fine");
    assert!(m.slice(0x21000, 16).is_err(), "system calls see it too");
    // Permissions change, the mark stays; without the permission it is a SIGSEGV.
    m.protect(0x21000, 0x1000, Perm::NONE).unwrap();
    assert_eq!(
        m.read::<1>(0x21000).unwrap_err().kind,
        FaultKind::Protection
    );
    m.protect(0x21000, 0x1000, Perm::R).unwrap();
    assert_eq!(
        m.read::<1>(0x21000).unwrap_err().kind,
        FaultKind::PastEndOfFile
    );
    // A fresh mapping there is ordinary memory.
    m.map_fixed(0x21000, 0x1000, Perm::RW, RegionKind::Anonymous)
        .unwrap();
    assert_eq!(m.read::<1>(0x21000).unwrap(), [0]);
    assert_eq!(
        m.mark_past_end_of_file(0x30000, 0x1000),
        Err(MapError::NotMapped)
    );
}

#[test]
fn regions_in_clips_the_overlapping_regions() {
    let m = mem();
    m.map_fixed(0x30000, 0x2000, Perm::RX, RegionKind::Anonymous)
        .unwrap();
    let file = RegionKind::File {
        path: "/lib/x.so".into(),
        offset: 0x1000,
    };
    m.map_fixed(0x33000, 0x2000, Perm::R, file.clone()).unwrap();
    let got: Vec<_> = m
        .regions_in(0x31800, 0x34800)
        .into_iter()
        .map(|r| (r.start, r.end, r.perm, r.kind))
        .collect();
    assert_eq!(
        got,
        vec![
            (0x31800, 0x32000, Perm::RX, RegionKind::Anonymous),
            (0x33000, 0x34800, Perm::R, file.clone()),
        ]
    );
    let inside = m.regions_in(0x33800, 0x34000);
    let clipped = RegionKind::File {
        path: "/lib/x.so".into(),
        offset: 0x1800,
    };
    assert_eq!(inside.len(), 1);
    assert_eq!((inside[0].start, &inside[0].kind), (0x33800, &clipped));
    assert!(m.regions_in(0x32000, 0x33000).is_empty(), "the gap");
}

#[test]
fn regions_in_an_empty_or_inverted_range_are_none() {
    let m = mem();
    m.map_fixed(0x30000, 0x2000, Perm::RX, RegionKind::Anonymous)
        .unwrap();
    assert!(m.regions_in(0x31000, 0x31000).is_empty());
    // A range a guest's arguments make inverted (start past the guest space, end
    // clamped to it) must not reach the map's range search, which panics on it.
    assert!(m.regions_in(0x31000, 0x30000).is_empty());
    assert!(m.regions_in(u64::MAX - 0xfff, 0x40000).is_empty());
}

#[test]
fn the_fault_view_reads_the_permission_table() {
    let m = mem();
    let view = m.fault_view();
    assert_eq!(view.guest_addr(view.base + 0x40123), Some(0x40123));
    assert_eq!(view.guest_addr(view.base - 1), None);
    assert_eq!(view.guest_addr(view.base + GUEST_SPACE as usize), None);
    assert_eq!(
        FaultView::default().guest_addr(0x1000),
        None,
        "not recorded"
    );
    // SAFETY (every block): `view` comes from `m`, alive, and the addresses lie in the
    // guest space.
    let before = unsafe { view.mapping_changes() };
    m.map_fixed(0x40000, 0x1000, Perm::R, RegionKind::Anonymous)
        .unwrap();
    unsafe {
        assert_eq!(view.page_access(0x40123, Access::Read), PageAccess::Allowed);
        assert_eq!(
            view.page_access(0x40123, Access::Write),
            PageAccess::Refused
        );
        m.unmap(0x40000, 0x1000).unwrap();
        assert_eq!(
            view.page_access(0x40123, Access::Read),
            PageAccess::Unmapped
        );
    }
    let after = unsafe { view.mapping_changes() };
    assert!(after >= before + 2, "a map and an unmap count as changes");
}

/// Whether the host can read the host page of guest address `addr` (a host call with
/// it as a buffer fails with EFAULT instead of faulting).
fn host_readable(m: &GuestMemory, addr: GuestAddr) -> bool {
    let mut fds = [0; 2];
    // SAFETY: `fds` is an `int[2]`; the write only reads its buffer, or fails.
    unsafe {
        assert_eq!(libc::pipe(fds.as_mut_ptr()), 0);
        let ptr = (m.fault_view().base + addr as usize) as *const libc::c_void;
        let n = libc::write(fds[1], ptr, 1);
        libc::close(fds[0]);
        libc::close(fds[1]);
        n == 1
    }
}

/// What vm's SIGSEGV handler does to the host page of an unmapped guest page that an
/// access raced: a private zero page.
fn make_zero_page(m: &GuestMemory, addr: GuestAddr) {
    let page = m.fault_view().base + page_floor(addr) as usize;
    // SAFETY: the page lies in `m`'s reservation and is unmapped in the guest.
    let rw = libc::PROT_READ | libc::PROT_WRITE;
    let r = unsafe { libc::mprotect(page as *mut _, PAGE_SIZE as usize, rw) };
    assert_eq!(r, 0);
}

#[test]
fn sealing_restores_an_unmapped_page_but_leaves_one_mapped_anew() {
    let m = mem();
    m.map_fixed(0x50000, 0x2000, Perm::RW, RegionKind::Anonymous)
        .unwrap();
    m.unmap(0x50000, 0x2000).unwrap();
    assert!(!host_readable(&m, 0x50000), "unmapped pages are PROT_NONE");
    make_zero_page(&m, 0x50008);
    make_zero_page(&m, 0x51008);
    assert!(host_readable(&m, 0x50000));
    // Still unmapped: inaccessible again.
    m.seal_unmapped_page(0x50008).unwrap();
    assert!(!host_readable(&m, 0x50000));
    // Mapped anew before the seal: left alone.
    m.map_fixed(0x51000, 0x1000, Perm::RW, RegionKind::Anonymous)
        .unwrap();
    m.write_u64(0x51008, 42).unwrap();
    m.seal_unmapped_page(0x51008).unwrap();
    assert_eq!(m.read_u64(0x51008).unwrap(), 42);
    assert_eq!(m.seal_unmapped_page(GUEST_SPACE), Err(MapError::Invalid));
}

#[test]
fn a_failed_check_says_why() {
    let m = mem();
    m.map_fixed(0x60000, 0x1000, Perm::R, RegionKind::Anonymous)
        .unwrap();
    let f = m.check(0x60010, 8, Access::Write).unwrap_err();
    assert_eq!((f.addr, f.kind), (0x60010, FaultKind::Protection));
    let f = m.check(0x61010, 8, Access::Read).unwrap_err();
    assert_eq!((f.addr, f.kind), (0x61010, FaultKind::Unmapped));
}

#[test]
fn a_code_snapshot_sees_every_mapping_and_permission_change() {
    let m = mem();
    let s = m.code_snapshot();
    assert!(s.is_multiple_of(2), "no change under way");
    assert!(m.unchanged_since(s));
    m.map_fixed(0x40000, 0x2000, Perm::RX, RegionKind::Anonymous)
        .unwrap();
    assert!(!m.unchanged_since(s), "a mapping");
    let s = m.code_snapshot();
    m.protect(0x40000, 0x1000, Perm::RW).unwrap();
    assert!(!m.unchanged_since(s), "a permission change");
    let s = m.code_snapshot();
    m.unmap(0x41000, 0x1000).unwrap();
    assert!(!m.unchanged_since(s), "an unmap");
    let s = m.code_snapshot();
    m.read_u64(0x40000).unwrap();
    assert!(m.unchanged_since(s), "accesses change nothing");
}

#[test]
fn the_fork_guard_holds_the_region_lock() {
    let m = mem();
    let held = m.hold_for_fork();
    assert!(m.regions.try_lock().is_err(), "held");
    drop(held);
    assert!(m.regions.try_lock().is_ok(), "released");
}
