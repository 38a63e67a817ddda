//! Raw host system calls whose arguments are as wide as the registers the kernel reads.
//!
//! `libc::syscall` is variadic: each argument travels as its own Rust type, and an `i32`
//! or `u32` (an untyped integer literal is an `i32`) leaves the upper half of its 64-bit
//! register undefined. The kernel reads the whole register for an `unsigned long`,
//! `size_t`, `loff_t` or pointer argument, so such an argument may arrive with garbage
//! above bit 31 (as a `process_vm_readv` whose `flags` was a literal `0` once failed with
//! `EINVAL`). [`host_syscall!`] converts every argument with [`Arg`] (a signed integer
//! sign-extended, an unsigned one zero-extended, as C converts them to `long`; a pointer
//! or reference as its address) and always passes six whole registers, the unused ones
//! zero.
//!
//! The workspace's clippy configuration forbids `libc::syscall` and the other variadic
//! libc calls (`fcntl`, `ioctl`, `prctl`, `open`, `openat`) everywhere else.
//!
//! Widening does not choose the value: a guest register bound for a 64-bit parameter is
//! passed on as the full `u64`, and one bound for an `int` as its low 32 bits, as
//! `syscall::dispatch` converts them. Blocking calls go through `syscall::blocking`'s
//! `host_call!`, which passes whole registers too.

/// A value that can be a system call argument: how it fills a 64-bit register.
pub(crate) trait Arg {
    fn reg(self) -> libc::c_long;
}

macro_rules! widened {
    ($($t:ty),*) => {
        $(impl Arg for $t {
            #[inline]
            fn reg(self) -> libc::c_long {
                // Lossless: `c_long` is 64 bits on x86-64, so this sign-extends signed
                // types and zero-extends unsigned ones.
                self as libc::c_long
            }
        })*
    };
}
widened!(i32, u32, i64, u64, isize, usize);

impl<T> Arg for *const T {
    #[inline]
    fn reg(self) -> libc::c_long {
        self as libc::c_long
    }
}

impl<T> Arg for *mut T {
    #[inline]
    fn reg(self) -> libc::c_long {
        self as libc::c_long
    }
}

impl<T> Arg for &T {
    #[inline]
    fn reg(self) -> libc::c_long {
        self as *const T as libc::c_long
    }
}

impl<T> Arg for &mut T {
    #[inline]
    fn reg(self) -> libc::c_long {
        self as *mut T as libc::c_long
    }
}

/// Makes host system call `nr` with up to six whole-register arguments; returns what
/// `libc::syscall` returns (`-1` with `errno` set on failure).
///
/// # Safety
/// Every pointer among `args` must be valid for what call `nr` does with it.
#[inline]
pub(crate) unsafe fn call(nr: libc::c_long, args: &[libc::c_long]) -> libc::c_long {
    let mut a = [0; 6];
    a[..args.len()].copy_from_slice(args);
    // Every argument is a `c_long`, so each register is defined whole.
    #[allow(clippy::disallowed_methods)]
    libc::syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5])
}

/// `host_syscall!(nr, args...)`: host system call `nr` with each argument widened by
/// [`Arg`] (see the module comment). Unsafe as [`call`] is.
macro_rules! host_syscall {
    ($nr:expr $(, $arg:expr)* $(,)?) => {
        $crate::host_syscall::call($nr, &[$($crate::host_syscall::Arg::reg($arg)),*])
    };
}
