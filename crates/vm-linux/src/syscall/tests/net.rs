//! Sockets through real host socket pairs and loopback connections.

use super::*;
use crate::syscall::numbers as nr;

const AF_UNIX: u64 = libc::AF_UNIX as u64;
const AF_INET: u64 = libc::AF_INET as u64;
const STREAM: u64 = libc::SOCK_STREAM as u64;

fn socketpair(g: &mut Guest, ty: u64) -> (u64, u64) {
    assert_eq!(g.call(nr::SOCKETPAIR, &[AF_UNIX, ty, 0, SCRATCH]), 0);
    (g.u32_at(SCRATCH) as u64, g.u32_at(SCRATCH + 4) as u64)
}

/// Writes a guest `struct msghdr` at `at`.
fn put_msghdr(g: &mut Guest, at: u64, name: (u64, u32), iov: (u64, u64), control: (u64, u64)) {
    g.mem.write_bytes(at, &[0; 56]).unwrap();
    g.mem.write_u64(at, name.0).unwrap();
    g.mem.write(at + 8, name.1.to_le_bytes()).unwrap();
    g.mem.write_u64(at + 16, iov.0).unwrap();
    g.mem.write_u64(at + 24, iov.1).unwrap();
    g.mem.write_u64(at + 32, control.0).unwrap();
    g.mem.write_u64(at + 40, control.1).unwrap();
}

#[test]
fn socketpair_sendmsg_recvmsg_round_trip_with_scm_rights() {
    let mut g = Guest::new();
    let (a, b) = socketpair(&mut g, STREAM);
    // Two iovecs out, one descriptor (a's own) as SCM_RIGHTS control data.
    let (p1, p2, iov) = (SCRATCH + 0x100, SCRATCH + 0x140, SCRATCH + 0x180);
    g.mem.write_bytes(p1, b"hello, ").unwrap();
    g.mem.write_bytes(p2, b"socket").unwrap();
    for (i, (base, len)) in [(p1, 7u64), (p2, 6)].iter().enumerate() {
        g.mem.write_u64(iov + 16 * i as u64, *base).unwrap();
        g.mem.write_u64(iov + 16 * i as u64 + 8, *len).unwrap();
    }
    let cmsg = SCRATCH + 0x200;
    g.mem.write_u64(cmsg, 20).unwrap(); // cmsg_len = CMSG_LEN(4)
    g.mem
        .write(cmsg + 8, libc::SOL_SOCKET.to_le_bytes())
        .unwrap();
    g.mem
        .write(cmsg + 12, libc::SCM_RIGHTS.to_le_bytes())
        .unwrap();
    g.mem.write(cmsg + 16, (a as i32).to_le_bytes()).unwrap();
    let msg = SCRATCH + 0x300;
    put_msghdr(&mut g, msg, (0, 0), (iov, 2), (cmsg, 24));
    assert_eq!(g.call(nr::SENDMSG, &[a, msg, 0]), 13);
    // Receive into one buffer with room for control data.
    let (buf, riov, rcmsg, rmsg) = (
        SCRATCH + 0x400,
        SCRATCH + 0x480,
        SCRATCH + 0x500,
        SCRATCH + 0x600,
    );
    g.mem.write_u64(riov, buf).unwrap();
    g.mem.write_u64(riov + 8, 64).unwrap();
    put_msghdr(&mut g, rmsg, (0, 0), (riov, 1), (rcmsg, 64));
    assert_eq!(g.call(nr::RECVMSG, &[b, rmsg, 0]), 13);
    assert_eq!(g.bytes(buf, 13), b"hello, socket");
    assert_eq!(g.u64_at(rmsg + 40), 24, "msg_controllen updated");
    assert_eq!(g.u32_at(rmsg + 48), 0, "msg_flags");
    assert_eq!(g.u32_at(rcmsg + 12) as i32, libc::SCM_RIGHTS);
    let passed = g.u32_at(rcmsg + 16) as u64;
    assert!(passed != a && passed != b);
    // The received descriptor is the same socket: writing to it reaches b.
    g.mem.write_bytes(p1, b"!").unwrap();
    assert_eq!(g.call(nr::WRITE, &[passed, p1, 1]), 1);
    assert_eq!(g.call(nr::READ, &[b, buf, 8]), 1);
    // Without a control length the control pointer is not looked at.
    put_msghdr(&mut g, msg, (0, 0), (iov, 1), (u64::MAX, 0));
    assert_eq!(g.call(nr::SENDMSG, &[a, msg, 0]), 7);
    put_msghdr(&mut g, rmsg, (0, 0), (riov, 1), (u64::MAX, 0));
    assert_eq!(g.call(nr::RECVMSG, &[b, rmsg, 0]), 7);
    assert_eq!(g.bytes(buf, 7), b"!ello, ");
    // Bad pointers.
    assert_eq!(g.call(nr::SENDMSG, &[a, UNMAPPED, 0]), EFAULT);
    assert_eq!(g.call(nr::RECVMSG, &[999, rmsg, 0]), EBADF);
    for fd in [a, b, passed] {
        assert_eq!(g.call(nr::CLOSE, &[fd]), 0);
    }
}

/// A guest `struct sockaddr_in` for 127.0.0.1:`port`.
fn put_loopback(g: &mut Guest, at: u64, port: u16) {
    let mut sa = [0u8; 16];
    sa[..2].copy_from_slice(&(libc::AF_INET as u16).to_le_bytes());
    sa[2..4].copy_from_slice(&port.to_be_bytes());
    sa[4..8].copy_from_slice(&[127, 0, 0, 1]);
    g.mem.write_bytes(at, &sa).unwrap();
}

#[test]
fn tcp_loopback_bind_listen_connect_accept_sendto_recvfrom() {
    let mut g = Guest::new();
    let srv = g.call(
        nr::SOCKET,
        &[AF_INET, STREAM | libc::SOCK_CLOEXEC as u64, 0],
    );
    assert!(srv >= 0);
    let srv = srv as u64;
    let one = SCRATCH + 0x10;
    g.mem.write(one, 1i32.to_le_bytes()).unwrap();
    let sol = libc::SOL_SOCKET as u64;
    let reuse = libc::SO_REUSEADDR as u64;
    assert_eq!(g.call(nr::SETSOCKOPT, &[srv, sol, reuse, one, 4]), 0);
    let (val, len) = (SCRATCH + 0x20, SCRATCH + 0x30);
    g.mem.write(len, 64i32.to_le_bytes()).unwrap();
    assert_eq!(g.call(nr::GETSOCKOPT, &[srv, sol, reuse, val, len]), 0);
    assert_eq!((g.u32_at(val), g.u32_at(len)), (1, 4));
    let addr = SCRATCH + 0x100;
    put_loopback(&mut g, addr, 0);
    assert_eq!(g.call(nr::BIND, &[srv, addr, 16]), 0);
    assert_eq!(g.call(nr::BIND, &[srv, addr, 129]), EINVAL);
    assert_eq!(g.call(nr::LISTEN, &[srv, 4]), 0);
    // The kernel-chosen port, through getsockname; a short length truncates the copy
    // and reports the full length.
    let (name, nlen) = (SCRATCH + 0x200, SCRATCH + 0x280);
    g.mem.write(nlen, 128i32.to_le_bytes()).unwrap();
    assert_eq!(g.call(nr::GETSOCKNAME, &[srv, name, nlen]), 0);
    assert_eq!(g.u32_at(nlen), 16);
    let port = u16::from_be_bytes(g.bytes(name + 2, 2).try_into().unwrap());
    assert_ne!(port, 0);
    g.mem.write(nlen, 2i32.to_le_bytes()).unwrap();
    g.mem.write_bytes(name, &[0xee; 16]).unwrap();
    assert_eq!(g.call(nr::GETSOCKNAME, &[srv, name, nlen]), 0);
    assert_eq!(g.u32_at(nlen), 16);
    assert_eq!(g.bytes(name + 2, 2), [0xee, 0xee]);
    // Connect and accept.
    let cli = g.call(nr::SOCKET, &[AF_INET, STREAM, 0]) as u64;
    put_loopback(&mut g, addr, port);
    assert_eq!(g.call(nr::CONNECT, &[cli, addr, 16]), 0);
    let (peer, plen) = (SCRATCH + 0x300, SCRATCH + 0x380);
    g.mem.write(plen, 16i32.to_le_bytes()).unwrap();
    let conn = g.call(nr::ACCEPT4, &[srv, peer, plen, libc::SOCK_CLOEXEC as u64]);
    assert!(conn >= 0);
    let conn = conn as u64;
    assert_eq!(g.bytes(peer + 4, 4), [127, 0, 0, 1]);
    let msg = SCRATCH + 0x400;
    g.mem.write_bytes(msg, b"ping").unwrap();
    assert_eq!(g.call(nr::SENDTO, &[cli, msg, 4, 0, 0, 0]), 4);
    let buf = SCRATCH + 0x500;
    assert_eq!(g.call(nr::RECVFROM, &[conn, buf, 64, 0, 0, 0]), 4);
    assert_eq!(g.bytes(buf, 4), b"ping");
    g.mem.write(nlen, 16i32.to_le_bytes()).unwrap();
    assert_eq!(g.call(nr::GETPEERNAME, &[cli, name, nlen]), 0);
    assert_eq!(g.call(nr::GETPEERNAME, &[cli, 0, nlen]), EFAULT);
    assert_eq!(g.u32_at(nlen), 16);
    assert_eq!(
        u16::from_be_bytes(g.bytes(name + 2, 2).try_into().unwrap()),
        port
    );
    assert_eq!(g.call(nr::SHUTDOWN, &[cli, libc::SHUT_WR as u64]), 0);
    assert_eq!(g.call(nr::RECVFROM, &[conn, buf, 64, 0, 0, 0]), 0);
    for fd in [srv, cli, conn] {
        assert_eq!(g.call(nr::CLOSE, &[fd]), 0);
    }
}

#[test]
fn unsupported_families_and_pointer_options_are_refused() {
    let mut g = Guest::new();
    let eafnosupport = -(libc::EAFNOSUPPORT as i64);
    assert_eq!(
        g.call(nr::SOCKET, &[libc::AF_PACKET as u64, STREAM, 0]),
        eafnosupport
    );
    let (a, b) = socketpair(&mut g, STREAM);
    // SO_ATTACH_FILTER holds a pointer: never passed to the host.
    let enoprotoopt = -(libc::ENOPROTOOPT as i64);
    let sol = libc::SOL_SOCKET as u64;
    assert_eq!(
        g.call(nr::SETSOCKOPT, &[a, sol, 26, SCRATCH, 16]),
        enoprotoopt
    );
    assert_eq!(
        g.call(
            nr::SETSOCKOPT,
            &[a, sol, libc::SO_RCVBUF as u64, UNMAPPED, 4]
        ),
        EFAULT
    );
    assert_eq!(
        g.call(
            nr::SETSOCKOPT,
            &[999, sol, libc::SO_RCVBUF as u64, SCRATCH, 4]
        ),
        EBADF
    );
    for fd in [a, b] {
        assert_eq!(g.call(nr::CLOSE, &[fd]), 0);
    }
}
