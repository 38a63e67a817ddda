//! `mremap`: shrink in place, grow in place when the pages after the mapping are free,
//! else move (`MREMAP_MAYMOVE`), to a chosen address (`MREMAP_FIXED`), optionally leaving
//! fresh pages behind (`MREMAP_DONTUNMAP`).
//!
//! Linux works on VMAs; guest memory keeps one region per mapping call, so a "mapping"
//! here is the run of adjacent regions that Linux would have merged into one VMA (same
//! permission, same kind, contiguous file offsets).
//!
//! Moving copies private pages (skipping all-zero pages, which the fresh destination
//! already has) and maps shared file pages again from the recorded descriptor, so writes
//! still reach the file. Growing a mapping adds zero pages, except for shared file
//! mappings, which grow into the file. Approximations: growing a private file mapping adds
//! zero pages where Linux would map more of the file; `old_size == 0` (duplicating a
//! shared mapping) is `EINVAL`.

use super::abi::mremap::{DONTUNMAP, FIXED, MAYMOVE};
use super::file_maps::SharedFileMap;
use super::mem::{
    find_free, map_errno, may_expand, page_aligned, page_len, place, regions_in, release, unmap,
};
use super::{host, Errno, SysResult};
use crate::state::AddressSpace;
use vm_memory::{
    page_ceil, FilePages, GuestMemory, Perm, Region, RegionKind, Sharing, GUEST_SPACE, PAGE_SIZE,
};

pub fn mremap(
    state: &mut AddressSpace,
    mem: &GuestMemory,
    old: u64,
    old_len: u64,
    new_len: u64,
    flags: u64,
    new_addr: u64,
) -> SysResult {
    let einval = Err(Errno(libc::EINVAL));
    if flags & !(MAYMOVE | FIXED | DONTUNMAP) != 0
        || (flags & FIXED != 0 && flags & MAYMOVE == 0)
        || (flags & DONTUNMAP != 0 && (flags & MAYMOVE == 0 || old_len != new_len))
        || !page_aligned(old)
    {
        return einval;
    }
    // PAGE_ALIGN wrapping to zero in Linux is the same as a zero length here.
    let old_len = page_len(old_len).unwrap_or(0);
    let new_len = page_len(new_len).unwrap_or(0);
    if new_len == 0 {
        return einval;
    }
    if vma_at(mem, old).is_none() {
        return Err(Errno(libc::EFAULT));
    }
    if flags & (FIXED | DONTUNMAP) != 0 {
        return move_to(state, mem, old, old_len, new_addr, new_len, flags);
    }
    if old_len >= new_len {
        shrink(state, mem, old, old_len, new_len)?;
        return Ok(old as i64);
    }
    let (_, vma_end) = resizable(mem, old, old_len)?;
    let grow = new_len - old_len;
    may_expand(state, mem, grow)?;
    let room = vma_end
        .checked_add(grow)
        .is_some_and(|end| end <= GUEST_SPACE && mem.is_free(vma_end, grow));
    if old + old_len == vma_end && room {
        extend(state, mem, old + old_len, grow)?;
        return Ok(old as i64);
    }
    if flags & MAYMOVE == 0 {
        return Err(Errno(libc::ENOMEM));
    }
    let dest = find_free(mem, new_len)?;
    move_mapping(state, mem, old, old_len, dest, new_len, false)?;
    Ok(dest as i64)
}

/// Linux's `mremap_to`: the `MREMAP_FIXED` / `MREMAP_DONTUNMAP` path.
fn move_to(
    state: &mut AddressSpace,
    mem: &GuestMemory,
    old: u64,
    mut old_len: u64,
    new_addr: u64,
    new_len: u64,
    flags: u64,
) -> SysResult {
    if !page_aligned(new_addr)
        || new_len > GUEST_SPACE
        || new_addr > GUEST_SPACE - new_len
        || (old.saturating_add(old_len) > new_addr && new_addr + new_len > old)
    {
        return Err(Errno(libc::EINVAL));
    }
    if flags & FIXED != 0 {
        unmap(state, mem, new_addr, new_addr + new_len)?;
    }
    if old_len > new_len {
        shrink(state, mem, old, old_len, new_len)?;
        old_len = new_len;
    }
    resizable(mem, old, old_len)?;
    may_expand(state, mem, new_len.saturating_sub(old_len))?;
    if flags & DONTUNMAP != 0 {
        // The old pages stay mapped too.
        may_expand(state, mem, old_len)?;
    }
    let dest = if flags & FIXED != 0 {
        new_addr
    } else {
        place(mem, new_addr, new_len, false)?
    };
    move_mapping(
        state,
        mem,
        old,
        old_len,
        dest,
        new_len,
        flags & DONTUNMAP != 0,
    )?;
    Ok(dest as i64)
}

/// Unmaps the tail `[old + new_len, old + old_len)` (`EINVAL` past the address space,
/// as `munmap` says).
fn shrink(
    state: &mut AddressSpace,
    mem: &GuestMemory,
    old: u64,
    old_len: u64,
    new_len: u64,
) -> Result<(), Errno> {
    let end = old
        .checked_add(old_len)
        .filter(|&end| end <= GUEST_SPACE)
        .ok_or(Errno(libc::EINVAL))?;
    unmap(state, mem, old + new_len, end)
}

/// The mapping (Linux VMA) containing `addr`: the run of regions Linux would have merged.
fn vma_at(mem: &GuestMemory, addr: u64) -> Option<(u64, u64)> {
    let regions = mem.regions();
    let i = regions
        .iter()
        .position(|r| r.start <= addr && addr < r.end)?;
    let (mut lo, mut hi) = (i, i);
    while lo > 0 && merges(&regions[lo - 1], &regions[lo]) {
        lo -= 1;
    }
    while hi + 1 < regions.len() && merges(&regions[hi], &regions[hi + 1]) {
        hi += 1;
    }
    Some((regions[lo].start, regions[hi].end))
}

/// Whether region `b` continues region `a` as one VMA.
fn merges(a: &Region, b: &Region) -> bool {
    let same_kind = match (&a.kind, &b.kind) {
        (RegionKind::File { path: p, offset: o }, RegionKind::File { path: q, offset: r }) => {
            p == q && o + (a.end - a.start) == *r
        }
        (x, y) => x == y,
    };
    a.end == b.start && a.perm == b.perm && same_kind
}

/// Linux's `vma_to_resize`: `[old, old + old_len)` must lie in one mapping.
fn resizable(mem: &GuestMemory, old: u64, old_len: u64) -> Result<(u64, u64), Errno> {
    let (start, end) = vma_at(mem, old).ok_or(Errno(libc::EFAULT))?;
    if old_len > end - old {
        return Err(Errno(libc::EFAULT));
    }
    if old_len == 0 {
        return Err(Errno(libc::EINVAL));
    }
    Ok((start, end))
}

/// The shared file piece that ends exactly at `end`, with its offset moved to `end`: what
/// an extension of the mapping at `end` continues.
fn shared_continuation(state: &AddressSpace, end: u64) -> Option<SharedFileMap> {
    let (_, piece) = state
        .shared_file_maps
        .overlapping(end - 1, end)
        .into_iter()
        .next()?;
    Some(SharedFileMap {
        offset: piece.offset + 1,
        ..piece
    })
}

/// Maps `len` bytes at `at`, continuing the mapping that ends there.
fn extend(state: &mut AddressSpace, mem: &GuestMemory, at: u64, len: u64) -> Result<(), Errno> {
    let like = regions_in(mem, at - PAGE_SIZE, at)
        .pop()
        .ok_or(Errno(libc::EFAULT))?;
    let next_kind = |extra: u64| match &like.kind {
        RegionKind::File { path, offset } => RegionKind::File {
            path: path.clone(),
            offset: offset + PAGE_SIZE + extra,
        },
        k => k.clone(),
    };
    let mut in_file = 0;
    if let Some(cont) = shared_continuation(state, at) {
        if let Some(fd) = cont.fd.clone() {
            use std::os::fd::AsRawFd;
            let size = file_size(fd.as_raw_fd())?;
            in_file = page_ceil(size.saturating_sub(cont.offset)).min(len);
            if in_file > 0 {
                let pages = FilePages {
                    fd: fd.as_raw_fd(),
                    offset: cont.offset,
                    sharing: Sharing::Shared,
                };
                mem.map_file(at, in_file, like.perm, pages, next_kind(0))
                    .map_err(map_errno)?;
                let piece = SharedFileMap {
                    end: at + in_file,
                    ..cont
                };
                state.shared_file_maps.insert(at, piece);
            }
        }
    }
    if in_file < len {
        mem.map_fixed(at + in_file, len - in_file, like.perm, next_kind(in_file))
            .map_err(map_errno)?;
    }
    Ok(())
}

fn file_size(fd: i32) -> Result<u64, Errno> {
    let mut st = std::mem::MaybeUninit::<libc::stat>::zeroed();
    // SAFETY: `st` is a host `struct stat` the kernel fills.
    host(unsafe { host_syscall!(libc::SYS_fstat, fd, st.as_mut_ptr()) })?;
    // SAFETY: filled by a successful fstat (and zeroed before).
    Ok(unsafe { st.assume_init() }.st_size as u64)
}

/// Moves `[old, old + old_len)` to the free (or freed) range at `dest`, grown to
/// `new_len`; the old range is unmapped, or with `keep_old` replaced by fresh pages.
fn move_mapping(
    state: &mut AddressSpace,
    mem: &GuestMemory,
    old: u64,
    old_len: u64,
    dest: u64,
    new_len: u64,
    keep_old: bool,
) -> Result<(), Errno> {
    let segments = regions_in(mem, old, old + old_len);
    let shared = state.shared_file_maps.overlapping(old, old + old_len);
    // Before the source's protection changes below: flags executable source pages.
    release(state, mem, old, old + old_len);
    for seg in &segments {
        let (to, len) = (dest + (seg.start - old), seg.end - seg.start);
        let piece = shared
            .iter()
            .find(|(s, m)| *s <= seg.start && seg.end <= m.end && m.fd.is_some());
        if let Some((s, m)) = piece {
            use std::os::fd::AsRawFd;
            let fd = m.fd.as_ref().map_or(-1, |f| f.as_raw_fd());
            let offset = m.offset + (seg.start - s);
            let pages = FilePages {
                fd,
                offset,
                sharing: Sharing::Shared,
            };
            mem.map_file(to, len, seg.perm, pages, seg.kind.clone())
                .map_err(map_errno)?;
            let moved = SharedFileMap {
                end: to + len,
                offset,
                ..m.clone()
            };
            state.shared_file_maps.insert(to, moved);
        } else {
            // Inaccessible to the guest until it holds the source's bytes: a racing
            // thread must not store into it (its store would survive the copy, even
            // into code) nor run or read it half-copied. Linux's destination appears
            // whole.
            mem.map_fixed(to, len, Perm::NONE, seg.kind.clone())
                .map_err(map_errno)?;
            // The source goes away: make it readable whatever the guest's protection.
            mem.protect(seg.start, len, Perm::R).map_err(map_errno)?;
            copy_pages(mem, seg.start, to, len)?;
            mem.protect(to, len, seg.perm).map_err(map_errno)?;
        }
    }
    if new_len > old_len {
        extend(state, mem, dest + old_len, new_len - old_len)?;
    }
    unmap(state, mem, old, old + old_len)?;
    if keep_old {
        for seg in segments {
            mem.map_fixed(seg.start, seg.end - seg.start, seg.perm, seg.kind)
                .map_err(map_errno)?;
        }
    }
    Ok(())
}

/// Copies `len` bytes of pages from `from` (readable) to `to` (fresh zero pages, which
/// the guest cannot access yet), skipping pages that are all zero.
fn copy_pages(mem: &GuestMemory, from: u64, to: u64, len: u64) -> Result<(), Errno> {
    let mut page = [0u8; PAGE_SIZE as usize];
    for off in (0..len).step_by(PAGE_SIZE as usize) {
        let src = mem.slice(from + off, PAGE_SIZE)?;
        if src.iter().all(|&b| b == 0) {
            continue;
        }
        page.copy_from_slice(src);
        mem.write_bytes_privileged(to + off, &page)?;
    }
    Ok(())
}
