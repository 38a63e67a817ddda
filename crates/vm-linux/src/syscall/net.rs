//! Sockets: `socket`, `socketpair`, `bind`, `listen`, `accept(4)`, `connect`,
//! `getsockname`, `getpeername`, `sendto`, `recvfrom`, `setsockopt`, `getsockopt`,
//! `shutdown`, `sendmsg`, `recvmsg`, `sendmmsg`, `recvmmsg`, passed through to the host.
//!
//! Only the families whose structures are known to match are created: `AF_UNIX`,
//! `AF_INET`, `AF_INET6` and `AF_NETLINK` (others are `EAFNOSUPPORT`). Socket addresses,
//! `SOCK_*`/`MSG_*` flags, option numbers and `struct cmsghdr` are the same on riscv64 and
//! x86-64 (asm-generic, LP64). Addresses are copied through a host `sockaddr_storage`,
//! returned ones truncated to the guest's length with the full length reported, as
//! Linux's `move_addr_to_user` does. `struct msghdr` (56 bytes) holds guest pointers, so
//! it is rebuilt on the host: name through a host buffer, iovecs and control data as
//! checked guest slices (`struct mmsghdr` is one followed by the message's length).
//! Socket options are passed for the levels whose option values hold no pointers
//! (`SOL_SOCKET`, IP, IPv6, TCP, UDP, netlink), minus the few options that do (classic
//! BPF filters, TCP zero-copy receive): those are `ENOPROTOOPT`, never a host call that
//! would read a guest address as a host one.

use super::abi::{HostBuf, MAX_RW_COUNT, UIO_MAXIOV};
use super::io::{host_iovecs, host_iovecs_mut};
use super::{badf_or, host, host_call, interruptible, restarting, Errno, SysResult};
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// Size of `struct sockaddr_storage`.
const SOCKADDR_MAX: usize = 128;
/// Size of `struct msghdr` on 64-bit Linux.
const MSGHDR_SIZE: usize = 56;
/// Largest option value copied through a host buffer by `getsockopt`.
const OPTVAL_MAX: usize = 64 * 1024;

/// A host `sockaddr_storage`.
type SockAddr = HostBuf<{ SOCKADDR_MAX / 8 }>;

fn allowed_family(domain: i32) -> bool {
    matches!(
        domain,
        libc::AF_UNIX | libc::AF_INET | libc::AF_INET6 | libc::AF_NETLINK
    )
}

pub fn socket(domain: i32, ty: i32, protocol: i32) -> SysResult {
    if !allowed_family(domain) {
        return Err(Errno(libc::EAFNOSUPPORT));
    }
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_socket, domain, ty, protocol) })
}

pub fn socketpair(
    mem: &GuestMemory,
    domain: i32,
    ty: i32,
    protocol: i32,
    sv: GuestAddr,
) -> SysResult {
    if !allowed_family(domain) {
        return Err(Errno(libc::EAFNOSUPPORT));
    }
    let mut pair = [0i32; 2];
    // SAFETY: `pair` is a host `int[2]`.
    host(unsafe {
        host_syscall!(
            libc::SYS_socketpair,
            domain,
            ty,
            protocol,
            pair.as_mut_ptr(),
        )
    })?;
    let mut bytes = [0u8; 8];
    bytes[..4].copy_from_slice(&pair[0].to_le_bytes());
    bytes[4..].copy_from_slice(&pair[1].to_le_bytes());
    if mem.write(sv, bytes).is_err() {
        // Linux closes both again when it cannot report them.
        for fd in pair {
            // SAFETY: closing the descriptors just created here.
            unsafe { libc::close(fd) };
        }
        return Err(Errno(libc::EFAULT));
    }
    Ok(0)
}

/// Copies a guest socket address in (`move_addr_to_kernel`): a length outside
/// `0..=128` is `EINVAL`.
fn sockaddr_in(mem: &GuestMemory, fd: i32, addr: GuestAddr, len: i32) -> Result<SockAddr, Errno> {
    if !(0..=SOCKADDR_MAX as i32).contains(&len) {
        return Err(Errno(libc::EINVAL));
    }
    if len == 0 {
        // Nothing is copied, whatever the pointer.
        return Ok(SockAddr::zeroed());
    }
    let bytes = mem
        .slice(addr, len as u64)
        .map_err(|_| badf_or(fd, libc::EFAULT))?;
    Ok(SockAddr::from_bytes(bytes))
}

/// Runs `call` with a host address buffer and length, then copies the address out
/// (`move_addr_to_user`) when `addr` is not null: at most the guest's `*addrlen` bytes,
/// and the full length into `*addrlen`.
fn with_sockaddr_out(
    mem: &GuestMemory,
    addr: GuestAddr,
    addrlen: GuestAddr,
    call: impl FnOnce(*mut libc::c_void, *mut u32) -> SysResult,
) -> SysResult {
    let mut buf = SockAddr::zeroed();
    let mut hlen = SOCKADDR_MAX as u32;
    if addr == 0 {
        return call(std::ptr::null_mut(), std::ptr::null_mut());
    }
    let guest_len = i32::from_le_bytes(mem.read(addrlen)?);
    if guest_len < 0 {
        return Err(Errno(libc::EINVAL));
    }
    let r = call(buf.as_mut_ptr(), &mut hlen)?;
    let n = (guest_len as usize).min(hlen as usize).min(SOCKADDR_MAX);
    mem.write_bytes(addr, &buf.to_bytes()[..n])?;
    mem.write(addrlen, hlen.to_le_bytes())?;
    Ok(r)
}

pub fn bind(mem: &GuestMemory, fd: i32, addr: GuestAddr, len: i32) -> SysResult {
    let mut a = sockaddr_in(mem, fd, addr, len)?;
    // SAFETY: `a` is a host `sockaddr_storage` holding `len` bytes of address.
    host(unsafe { host_syscall!(libc::SYS_bind, fd, a.as_mut_ptr(), len) })
}

pub fn connect(mem: &GuestMemory, fd: i32, addr: GuestAddr, len: i32) -> SysResult {
    let mut a = sockaddr_in(mem, fd, addr, len)?;
    // SAFETY: as in `bind`. Not restarted: an interrupted connect continues in the
    // background, and a second call would report `EALREADY`.
    host(unsafe { host_syscall!(libc::SYS_connect, fd, a.as_mut_ptr(), len) })
}

pub fn listen(fd: i32, backlog: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_listen, fd, backlog) })
}

pub fn shutdown(fd: i32, how: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_shutdown, fd, how) })
}

/// `accept4` (and `accept`, with flags 0). If the peer's address cannot be reported the
/// new connection is closed again and the call fails with `EFAULT`, as in Linux.
pub fn accept4(
    mem: &GuestMemory,
    fd: i32,
    addr: GuestAddr,
    addrlen: GuestAddr,
    flags: i32,
) -> SysResult {
    let mut accepted = -1;
    let r = with_sockaddr_out(mem, addr, addrlen, |a, l| {
        // SAFETY: `a` and `l` are null or a host `sockaddr_storage` and its length.
        let r = restarting(unsafe { host_call!(libc::SYS_accept4, fd, a, l, flags) });
        if let Ok(new) = r {
            accepted = new as i32;
        }
        r
    });
    if r.is_err() && accepted >= 0 {
        // SAFETY: closing the descriptor just accepted here.
        unsafe { libc::close(accepted) };
    }
    r
}

/// `getsockname` and `getpeername` (`nr` is the host's number).
pub fn sockname(
    mem: &GuestMemory,
    nr: libc::c_long,
    fd: i32,
    addr: GuestAddr,
    addrlen: GuestAddr,
) -> SysResult {
    if addr == 0 {
        return Err(badf_or(fd, libc::EFAULT));
    }
    with_sockaddr_out(mem, addr, addrlen, |a, l| {
        // SAFETY: `a` and `l` are a host `sockaddr_storage` and its length.
        host(unsafe { host_syscall!(nr, fd, a, l) })
    })
}

#[allow(clippy::too_many_arguments)]
pub fn sendto(
    mem: &GuestMemory,
    fd: i32,
    buf: GuestAddr,
    len: u64,
    flags: i32,
    addr: GuestAddr,
    addrlen: i32,
) -> SysResult {
    let src = mem
        .slice(buf, len.min(MAX_RW_COUNT))
        .map_err(|_| badf_or(fd, libc::EFAULT))?;
    let mut a = if addr != 0 {
        Some(sockaddr_in(mem, fd, addr, addrlen)?)
    } else {
        None
    };
    let (a_ptr, a_len) = match &mut a {
        Some(a) => (a.as_mut_ptr(), addrlen),
        None => (std::ptr::null_mut(), 0),
    };
    // SAFETY: `src` is a readable guest slice; `a_ptr` null or a host address buffer.
    restarting(unsafe {
        host_call!(
            libc::SYS_sendto,
            fd,
            src.as_ptr(),
            src.len(),
            flags,
            a_ptr,
            a_len,
        )
    })
}

#[allow(clippy::too_many_arguments)]
pub fn recvfrom(
    mem: &GuestMemory,
    fd: i32,
    buf: GuestAddr,
    len: u64,
    flags: i32,
    addr: GuestAddr,
    addrlen: GuestAddr,
) -> SysResult {
    let Ok(dst) = mem.slice_mut(buf, len.min(MAX_RW_COUNT)) else {
        return Err(badf_or(fd, libc::EFAULT));
    };
    let (ptr, n) = (dst.as_mut_ptr(), dst.len());
    with_sockaddr_out(mem, addr, addrlen, |a, l| {
        // SAFETY: `[ptr, ptr + n)` is a writable guest slice (`mem` stays exclusively
        // borrowed); `a` and `l` are null or a host address buffer and its length.
        restarting(unsafe { host_call!(libc::SYS_recvfrom, fd, ptr, n, flags, a, l) })
    })
}

/// Whether an option's value is plain data at this level (see the module docs).
fn plain_option(level: i32, name: i32) -> bool {
    const SO_ATTACH_FILTER: i32 = 26;
    const SO_ATTACH_REUSEPORT_CBPF: i32 = 51;
    const TCP_ZEROCOPY_RECEIVE: i32 = 35;
    match level {
        libc::SOL_SOCKET => !matches!(name, SO_ATTACH_FILTER | SO_ATTACH_REUSEPORT_CBPF),
        libc::IPPROTO_TCP => name != TCP_ZEROCOPY_RECEIVE,
        libc::IPPROTO_IP | libc::IPPROTO_IPV6 | libc::IPPROTO_UDP | libc::SOL_NETLINK => true,
        _ => false,
    }
}

pub fn setsockopt(
    mem: &GuestMemory,
    fd: i32,
    level: i32,
    name: i32,
    val: GuestAddr,
    len: i32,
) -> SysResult {
    if !plain_option(level, name) {
        return Err(badf_or(fd, libc::ENOPROTOOPT));
    }
    if len < 0 {
        return Err(badf_or(fd, libc::EINVAL));
    }
    let ptr = if len == 0 {
        std::ptr::null()
    } else {
        mem.slice(val, len as u64)
            .map_err(|_| badf_or(fd, libc::EFAULT))?
            .as_ptr()
    };
    // SAFETY: `ptr` is null or a readable guest slice of `len` bytes of plain data.
    host(unsafe { host_syscall!(libc::SYS_setsockopt, fd, level, name, ptr, len) })
}

pub fn getsockopt(
    mem: &GuestMemory,
    fd: i32,
    level: i32,
    name: i32,
    val: GuestAddr,
    lenp: GuestAddr,
) -> SysResult {
    if !plain_option(level, name) {
        return Err(badf_or(fd, libc::ENOPROTOOPT));
    }
    let len = i32::from_le_bytes(mem.read(lenp).map_err(|_| badf_or(fd, libc::EFAULT))?);
    if len < 0 {
        return Err(badf_or(fd, libc::EINVAL));
    }
    let mut buf = vec![0u8; (len as usize).min(OPTVAL_MAX)];
    let mut hlen = buf.len() as u32;
    // SAFETY: `buf` is a host buffer of `hlen` bytes, `hlen` a host `socklen_t`.
    host(unsafe {
        host_syscall!(
            libc::SYS_getsockopt,
            fd,
            level,
            name,
            buf.as_mut_ptr(),
            &mut hlen,
        )
    })?;
    let n = (hlen as usize).min(buf.len());
    mem.write_bytes(val, &buf[..n])?;
    mem.write(lenp, hlen.to_le_bytes())?;
    Ok(0)
}

/// A guest `struct msghdr`.
struct MsgHdr {
    name: GuestAddr,
    namelen: i32,
    iov: GuestAddr,
    iovlen: u64,
    control: GuestAddr,
    controllen: u64,
}

fn read_msghdr(mem: &GuestMemory, fd: i32, addr: GuestAddr) -> Result<MsgHdr, Errno> {
    let b: [u8; MSGHDR_SIZE] = mem.read(addr).map_err(|_| badf_or(fd, libc::EFAULT))?;
    let word = |off: usize| u64::from_le_bytes(b[off..off + 8].try_into().unwrap());
    let m = MsgHdr {
        name: word(0),
        namelen: i32::from_le_bytes(b[8..12].try_into().unwrap()),
        iov: word(16),
        iovlen: word(24),
        control: word(32),
        controllen: word(40),
    };
    if m.iovlen > UIO_MAXIOV {
        return Err(badf_or(fd, libc::EMSGSIZE));
    }
    if m.controllen > i32::MAX as u64 {
        return Err(badf_or(fd, libc::ENOBUFS));
    }
    if m.name != 0 && m.namelen < 0 {
        return Err(badf_or(fd, libc::EINVAL));
    }
    Ok(m)
}

/// The host address of `m`'s control data, checked readable or (`writable`) writable;
/// null without a length, when the pointer is not looked at.
fn control_ptr(mem: &GuestMemory, fd: i32, m: &MsgHdr, writable: bool) -> Result<*mut u8, Errno> {
    if m.controllen == 0 {
        return Ok(std::ptr::null_mut());
    }
    let ptr = if writable {
        mem.slice_mut(m.control, m.controllen)
            .map(|s| s.as_mut_ptr())
    } else {
        mem.slice(m.control, m.controllen)
            .map(|s| s.as_ptr().cast_mut())
    };
    ptr.map_err(|_| badf_or(fd, libc::EFAULT))
}

/// A host `struct msghdr` over a name buffer and its length, iovecs, and control data (none
/// if null).
fn host_msghdr(
    name: Option<(*mut libc::c_void, u32)>,
    iov: &mut [libc::iovec],
    control: *mut u8,
    controllen: u64,
) -> libc::msghdr {
    // SAFETY: `libc::msghdr` is plain data; all-zero is a valid value.
    let mut h: libc::msghdr = unsafe { std::mem::zeroed() };
    if let Some((ptr, len)) = name {
        h.msg_name = ptr;
        h.msg_namelen = len;
    }
    h.msg_iov = iov.as_mut_ptr();
    h.msg_iovlen = iov.len();
    if !control.is_null() {
        h.msg_control = control.cast();
        h.msg_controllen = controllen as usize;
    }
    h
}

/// A guest `struct msghdr` rebuilt on the host for sending: the name copied into a host
/// buffer, the iovecs and control data pointing at guest slices checked readable (which
/// the kernel only reads).
struct OutMsg {
    name: Option<(SockAddr, u32)>,
    iov: Vec<libc::iovec>,
    control: *mut u8,
    controllen: u64,
}

impl OutMsg {
    fn read(mem: &GuestMemory, fd: i32, msg: GuestAddr) -> Result<OutMsg, Errno> {
        let m = read_msghdr(mem, fd, msg)?;
        let name = if m.name != 0 {
            // Linux clamps a longer name to `sockaddr_storage` when sending.
            let len = (m.namelen as usize).min(SOCKADDR_MAX) as i32;
            Some((sockaddr_in(mem, fd, m.name, len)?, len as u32))
        } else {
            None
        };
        Ok(OutMsg {
            name,
            iov: host_iovecs(mem, fd, m.iov, m.iovlen)?,
            control: control_ptr(mem, fd, &m, false)?,
            controllen: m.controllen,
        })
    }

    /// The host header, pointing into `self` (which must stay put while it is used) and
    /// at guest memory.
    fn header(&mut self) -> libc::msghdr {
        let name = self.name.as_mut().map(|(a, len)| (a.as_mut_ptr(), *len));
        host_msghdr(name, &mut self.iov, self.control, self.controllen)
    }
}

/// A guest `struct msghdr` rebuilt on the host for receiving: a host buffer for the
/// name, the iovecs and control data pointing at guest slices checked writable.
struct InMsg {
    guest: MsgHdr,
    name: SockAddr,
    iov: Vec<libc::iovec>,
    control: *mut u8,
}

impl InMsg {
    fn read(mem: &GuestMemory, fd: i32, msg: GuestAddr) -> Result<InMsg, Errno> {
        let guest = read_msghdr(mem, fd, msg)?;
        Ok(InMsg {
            name: SockAddr::zeroed(),
            iov: host_iovecs_mut(mem, fd, guest.iov, guest.iovlen)?,
            control: control_ptr(mem, fd, &guest, true)?,
            guest,
        })
    }

    /// The host header, as [`OutMsg::header`].
    fn header(&mut self) -> libc::msghdr {
        let name = (self.guest.name != 0).then(|| (self.name.as_mut_ptr(), SOCKADDR_MAX as u32));
        host_msghdr(name, &mut self.iov, self.control, self.guest.controllen)
    }

    /// Writes back to the guest's header at `msg` what the host's `h` reports: the name
    /// (truncated to the guest's length) and its full length, the control data's length,
    /// the flags.
    fn write_back(&self, mem: &GuestMemory, msg: GuestAddr, h: &libc::msghdr) -> SysResult {
        if self.guest.name != 0 {
            let len = (self.guest.namelen as usize)
                .min(h.msg_namelen as usize)
                .min(SOCKADDR_MAX);
            mem.write_bytes(self.guest.name, &self.name.to_bytes()[..len])?;
            mem.write(msg + 8, h.msg_namelen.to_le_bytes())?;
        }
        mem.write(msg + 40, (h.msg_controllen as u64).to_le_bytes())?;
        mem.write(msg + 48, h.msg_flags.to_le_bytes())?;
        Ok(0)
    }
}

pub fn sendmsg(mem: &GuestMemory, fd: i32, msg: GuestAddr, flags: i32) -> SysResult {
    let mut m = OutMsg::read(mem, fd, msg)?;
    let h = m.header();
    // SAFETY: `h` points only at host buffers and at guest slices just checked readable,
    // which the kernel only reads.
    restarting(unsafe { host_call!(libc::SYS_sendmsg, fd, std::ptr::addr_of!(h), flags) })
}

pub fn recvmsg(mem: &GuestMemory, fd: i32, msg: GuestAddr, flags: i32) -> SysResult {
    let mut m = InMsg::read(mem, fd, msg)?;
    let mut h = m.header();
    // SAFETY: `h` points only at host buffers and at guest slices just checked writable
    // (`mem` stays exclusively borrowed, so no mapping changes during the call).
    let n =
        restarting(unsafe { host_call!(libc::SYS_recvmsg, fd, std::ptr::addr_of_mut!(h), flags) })?;
    m.write_back(mem, msg, &h)?;
    Ok(n)
}

/// Size of `struct mmsghdr`: a `msghdr`, the `unsigned` length, padding.
const MMSGHDR_SIZE: u64 = 64;
/// Offset of `msg_len` in `struct mmsghdr`.
const MMSG_LEN: u64 = MSGHDR_SIZE as u64;

/// Reads up to `vlen` guest messages (at most `UIO_MAXIOV`, as Linux clamps), stopping
/// at the first that cannot be read: Linux sends or receives the ones before it and
/// reports that error only if there were none.
fn read_mmsgs<M>(
    vec: GuestAddr,
    vlen: u32,
    read: impl Fn(GuestAddr) -> Result<M, Errno>,
) -> Result<Vec<M>, Errno> {
    let mut msgs = Vec::new();
    for i in 0..(vlen as u64).min(UIO_MAXIOV) {
        match read(vec + i * MMSGHDR_SIZE) {
            Ok(m) => msgs.push(m),
            Err(e) if msgs.is_empty() => return Err(e),
            Err(_) => break,
        }
    }
    Ok(msgs)
}

/// The host `struct mmsghdr`s over `msgs` (which must stay put while they are used).
fn mmsghdrs<M>(msgs: &mut [M], header: fn(&mut M) -> libc::msghdr) -> Vec<libc::mmsghdr> {
    msgs.iter_mut()
        .map(|m| libc::mmsghdr {
            msg_hdr: header(m),
            msg_len: 0,
        })
        .collect()
}

/// Writes each done message's `msg_len`; as Linux, a failure ends the count there
/// (`EFAULT` if it is the first).
fn write_mmsg_lens(mem: &GuestMemory, vec: GuestAddr, done: &[libc::mmsghdr]) -> SysResult {
    for (i, h) in done.iter().enumerate() {
        let at = vec + i as u64 * MMSGHDR_SIZE + MMSG_LEN;
        if mem.write(at, h.msg_len.to_le_bytes()).is_err() {
            return if i == 0 {
                Err(Errno(libc::EFAULT))
            } else {
                Ok(i as i64)
            };
        }
    }
    Ok(done.len() as i64)
}

/// `sendmmsg(fd, vec, vlen, flags)`: each `struct mmsghdr` translated as `sendmsg`
/// translates its header, all sent by one host call.
pub fn sendmmsg(mem: &GuestMemory, fd: i32, vec: GuestAddr, vlen: u32, flags: i32) -> SysResult {
    let mut msgs = read_mmsgs(vec, vlen, |m| OutMsg::read(mem, fd, m))?;
    let mut hdrs = mmsghdrs(&mut msgs, OutMsg::header);
    // SAFETY: every header points only at host buffers in `msgs` (not moved from here on)
    // and at guest slices just checked readable, which the kernel only reads.
    let n = restarting(unsafe {
        host_call!(libc::SYS_sendmmsg, fd, hdrs.as_mut_ptr(), hdrs.len(), flags)
    })?;
    write_mmsg_lens(mem, vec, &hdrs[..n as usize])
}

/// `recvmmsg(fd, vec, vlen, flags, timeout)`: each `struct mmsghdr` translated as
/// `recvmsg` translates its header, all received by one host call, then each received
/// header written back. With a timeout the call is never restarted (signal(7)), and the
/// time left is written back.
pub fn recvmmsg(
    mem: &GuestMemory,
    fd: i32,
    vec: GuestAddr,
    vlen: u32,
    flags: i32,
    timeout: GuestAddr,
) -> SysResult {
    let mut left = if timeout != 0 {
        Some(super::abi::read_timespec(mem, timeout)?)
    } else {
        None
    };
    let mut msgs = read_mmsgs(vec, vlen, |m| InMsg::read(mem, fd, m))?;
    let mut hdrs = mmsghdrs(&mut msgs, InMsg::header);
    let left_ptr = left
        .as_mut()
        .map_or(std::ptr::null_mut(), |t| t as *mut libc::timespec);
    // SAFETY: every header points only at host buffers in `msgs` (not moved from here on)
    // and at guest slices just checked writable (`mem` stays exclusively borrowed);
    // `left_ptr` is null or a host `struct timespec`.
    let call = unsafe {
        host_call!(
            libc::SYS_recvmmsg,
            fd,
            hdrs.as_mut_ptr(),
            hdrs.len(),
            flags,
            left_ptr,
        )
    };
    let n = if left.is_some() {
        interruptible(call)?
    } else {
        restarting(call)?
    };
    let done = &hdrs[..n as usize];
    for (i, (m, h)) in msgs.iter().zip(done).enumerate() {
        m.write_back(mem, vec + i as u64 * MMSGHDR_SIZE, &h.msg_hdr)?;
    }
    let n = write_mmsg_lens(mem, vec, done)?;
    if let (Some(t), true) = (left, n > 0) {
        super::abi::write_timespec(mem, timeout, t.tv_sec, t.tv_nsec)?;
    }
    Ok(n)
}
