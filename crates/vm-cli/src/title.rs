//! The process's name and command line as other programs see them (`ps`, `pgrep`,
//! `pidof`, `killall`: `/proc/PID/comm` and `/proc/PID/cmdline`): the guest program's,
//! not `vm run ...`.
//!
//! The name is set with `PR_SET_NAME`. The command line is the memory the kernel put
//! `argv`'s strings in, which a process may rewrite but not grow without privilege: the
//! guest's arguments are written there and the rest is filled with NULs, so the host's
//! `/proc/PID/cmdline` ends with empty strings where vm's own options were. (The guest's
//! own `/proc/self/cmdline` is generated exactly; see vm-linux's procfs views.)

use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

static ARGC: AtomicUsize = AtomicUsize::new(0);
static ARGV: AtomicPtr<*mut libc::c_char> = AtomicPtr::new(std::ptr::null_mut());

/// Runs from `.init_array`, where glibc passes `main`'s arguments, to learn where the
/// kernel put them (Rust's runtime keeps its own copy private).
extern "C" fn capture_args(argc: libc::c_int, argv: *mut *mut libc::c_char, _: *mut libc::c_void) {
    ARGC.store(argc.max(0) as usize, Ordering::Relaxed);
    ARGV.store(argv, Ordering::Relaxed);
}

#[used]
#[link_section = ".init_array"]
static CAPTURE_ARGS: extern "C" fn(libc::c_int, *mut *mut libc::c_char, *mut libc::c_void) =
    capture_args;

/// Shows `name` as this process's name (the kernel keeps 15 bytes) and `argv` as its
/// command line, as far as it fits. Call it once the command line has been parsed: it
/// overwrites the strings `std::env::args` reads.
pub fn set(name: &[u8], argv: &[Vec<u8>]) {
    let mut comm = [0u8; 16];
    let n = name.len().min(15);
    comm[..n].copy_from_slice(&name[..n]);
    // prctl is variadic: every argument is passed as the `unsigned long` the kernel reads.
    let name = comm.as_ptr() as libc::c_ulong;
    // SAFETY: PR_SET_NAME reads a NUL-terminated string of at most 16 bytes from `comm`.
    #[allow(clippy::disallowed_methods)]
    unsafe {
        libc::prctl(
            libc::PR_SET_NAME,
            name,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
        )
    };

    let (argc, argv_ptr) = (ARGC.load(Ordering::Relaxed), ARGV.load(Ordering::Relaxed));
    if argc == 0 || argv_ptr.is_null() {
        return;
    }
    // SAFETY: `argv_ptr` is the argv glibc passed to the init functions: `argc` valid
    // pointers to NUL-terminated strings, which the kernel laid out one after another
    // in writable stack memory that lives as long as the process.
    unsafe {
        let first = *argv_ptr;
        let last = *argv_ptr.add(argc - 1);
        if first.is_null() || last.is_null() {
            return;
        }
        let end = last.add(libc::strlen(last) + 1);
        let len = end.offset_from(first);
        if len <= 0 {
            return;
        }
        let area = std::slice::from_raw_parts_mut(first as *mut u8, len as usize);
        let mut text: Vec<u8> = argv
            .iter()
            .flat_map(|a| a.iter().copied().chain([0]))
            .collect();
        text.truncate(area.len() - 1);
        area.fill(0);
        area[..text.len()].copy_from_slice(&text);
    }
}
