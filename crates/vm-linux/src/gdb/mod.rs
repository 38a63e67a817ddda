//! A gdb remote stub (`vm run --gdb PORT`), so a RISC-V guest can be debugged with
//! `gdb-multiarch` as under qemu-user's `-g`.
//!
//! The stub serves the thread that started the program. It stops the guest before its
//! first instruction, at breakpoints (the engine stops before any of their addresses:
//! guest memory is never patched), after single steps, on every signal about to be
//! delivered that gdb did not ask to pass (`QPassSignals`), and on Ctrl-C; it reports
//! the process's exit or death. While stopped it answers gdb's requests for registers,
//! memory, the target description, the auxiliary vector, the executable's name, and
//! reads of files (the program and its libraries, found as the guest finds them).
//!
//! Limits (known, documented in `--help`): other guest threads run on and ignore
//! breakpoints; a child process after fork runs free (its breakpoints live in the
//! parent's engine, not in memory, so it never hits them); an exec'd program is not
//! debugged; watchpoints are not supported (gdb falls back to single-stepping).

pub mod host_io;
pub mod packet;
pub mod target;

use crate::code_changes::CodeChange;
use crate::thread::ThreadGroup;
use packet::{hex, hex_number, unhex, Connection, Incoming};
use std::collections::BTreeSet;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use vm_engine::{CpuState, Engine};
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// Why the guest stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Before the first instruction.
    Start,
    /// At one of gdb's breakpoints.
    Breakpoint,
    /// After a single step.
    Step,
    /// Signal `sig` (Linux numbering) is about to be delivered.
    Signal(i32),
    /// gdb asked the running guest to stop.
    Interrupt,
}

/// What gdb wants done after a stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resume {
    /// Run on (one instruction if `step`); at a signal stop, `deliver` says whether the
    /// signal reaches the guest (gdb's `C`) or is discarded (`c`).
    Go { step: bool, deliver: bool },
    /// Stop debugging; the guest runs on alone.
    Detach,
    /// End the process (gdb's `kill`, or the connection was lost).
    Kill,
}

/// The guest a stop is about: the stopped thread's CPU, memory and engine.
pub struct Target<'a> {
    pub cpu: &'a mut CpuState,
    pub mem: &'a GuestMemory,
    pub engine: &'a mut Engine,
}

/// The stub: gdb's connection and what gdb asked for.
pub struct Debugger {
    conn: Connection,
    /// The host process the connection belongs to (a forked child must not use it).
    owner: u32,
    tid: i32,
    group: Arc<ThreadGroup>,
    breakpoints: BTreeSet<GuestAddr>,
    /// Linux signals delivered without stopping (`QPassSignals`), bit `sig`.
    pass: u128,
    /// gdb understands `swbreak` stop reasons.
    swbreak: bool,
    /// Whether the last resume was a single step.
    stepping: bool,
    /// Set by the watcher when gdb sent Ctrl-C while the guest ran.
    interrupted: Arc<AtomicBool>,
    watcher: Option<Watcher>,
    auxv: Vec<u8>,
    exe: Vec<u8>,
    last_stop: String,
    /// Files gdb reads through the stub, and the options that resolve their paths.
    host_io: host_io::HostIo,
    options: crate::VmOptions,
}

/// Watches the connection for Ctrl-C while the guest runs.
struct Watcher {
    running: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<()>,
    /// The watcher's own descriptor of the connection.
    fd: i32,
}

impl Debugger {
    /// A stub for the process whose main thread is `tid`, serving `stream`.
    pub fn new(
        stream: TcpStream,
        tid: i32,
        group: Arc<ThreadGroup>,
        auxv: Vec<u8>,
        exe: Vec<u8>,
        options: crate::VmOptions,
    ) -> Debugger {
        Debugger {
            conn: Connection::new(stream),
            owner: std::process::id(),
            tid,
            group,
            breakpoints: BTreeSet::new(),
            pass: 0,
            swbreak: false,
            stepping: false,
            interrupted: Arc::new(AtomicBool::new(false)),
            watcher: None,
            auxv,
            exe,
            last_stop: "S05".into(),
            host_io: host_io::HostIo::default(),
            options,
        }
    }

    /// Whether this process is the one gdb debugs (false in a forked child, which must
    /// drop the stub without touching the connection).
    pub fn owned_here(&self) -> bool {
        self.owner == std::process::id()
    }

    /// Lets go of the connection in a forked child, without a word to gdb (it is the
    /// parent's): the descriptors close; the watcher thread was not copied by fork.
    pub fn abandon_after_fork(mut self: Box<Self>) {
        if let Some(w) = self.watcher.take() {
            // SAFETY: the watcher's descriptor is open here and owned by nothing else
            // in this process (its owner, the watcher thread, did not survive fork).
            unsafe { libc::close(w.fd) };
            std::mem::forget(w.thread);
        }
    }

    /// Whether the last resume was a single step.
    pub fn stepping(&self) -> bool {
        self.stepping
    }

    /// Whether a signal stops the guest for gdb, rather than passing straight through.
    pub fn stops_for(&self, sig: i32) -> bool {
        (0..128).contains(&sig) && self.pass & (1u128 << sig) == 0
    }

    /// Whether gdb sent Ctrl-C since the guest was resumed (and forgets it).
    pub fn take_interrupt(&self) -> bool {
        self.interrupted.swap(false, Ordering::AcqRel)
    }

    /// Reports `why` to gdb and serves its requests until it resumes the guest. A lost
    /// connection kills the process, as gdb's going away does under qemu.
    pub fn stop(&mut self, why: Stop, target: &mut Target) -> Resume {
        self.stop_watching();
        self.last_stop = match why {
            Stop::Start => "S05".to_string(),
            Stop::Breakpoint if self.swbreak => format!("T05thread:{:x};swbreak:;", self.tid),
            Stop::Breakpoint | Stop::Step => format!("T05thread:{:x};", self.tid),
            Stop::Signal(sig) => format!("T{:02x}thread:{:x};", target::gdb_signal(sig), self.tid),
            Stop::Interrupt => format!("T02thread:{:x};", self.tid),
        };
        if why != Stop::Start {
            let reply = self.last_stop.clone();
            if self.conn.send(reply.as_bytes()).is_err() {
                return Resume::Kill;
            }
        }
        let resume = self.serve(target);
        if let Resume::Go { step, .. } = resume {
            self.stepping = step;
            target
                .engine
                .set_breakpoints(self.breakpoints.iter().copied());
            self.start_watching(target.engine);
        } else {
            target.engine.set_breakpoints([]);
        }
        resume
    }

    /// Tells gdb how the process ended (`W`/`X` packets).
    pub fn report_exit(&mut self, exit: crate::ProcessExit) {
        self.stop_watching();
        let reply = match exit {
            crate::ProcessExit::Exited(status) => format!("W{:02x}", status & 0xff),
            crate::ProcessExit::Signaled(sig) => format!("X{:02x}", target::gdb_signal(sig)),
        };
        let _ = self.conn.send(reply.as_bytes());
    }

    /// Packets until one resumes the guest.
    fn serve(&mut self, target: &mut Target) -> Resume {
        loop {
            let packet = match self.conn.receive() {
                Ok(Incoming::Packet(p)) => p,
                // Already stopped.
                Ok(Incoming::Interrupt) => continue,
                Err(e) => {
                    tracing::warn!("gdb connection lost ({e}); ending the guest");
                    return Resume::Kill;
                }
            };
            let (reply, resume) = self.handle(&packet, target);
            if let Some(reply) = reply {
                if self.conn.send(&reply).is_err() {
                    return Resume::Kill;
                }
            }
            if let Some(resume) = resume {
                return resume;
            }
        }
    }

    /// One packet's reply (`None`: no reply) and, if it resumes the guest, how.
    fn handle(&mut self, p: &[u8], t: &mut Target) -> (Option<Vec<u8>>, Option<Resume>) {
        let ok = || Some(b"OK".to_vec());
        let text = String::from_utf8_lossy(p);
        let go = |step, deliver| Some(Resume::Go { step, deliver });
        match p.first().copied() {
            Some(b'?') => (Some(self.last_stop.clone().into_bytes()), None),
            Some(b'g') => {
                let mut out = String::new();
                for (n, size) in target::registers() {
                    let v = target::read(t.cpu, n).unwrap_or(0);
                    out += &hex(&v.to_le_bytes()[..size]);
                }
                (Some(out.into_bytes()), None)
            }
            Some(b'G') => {
                let Some(bytes) = unhex(&p[1..]) else {
                    return (Some(b"E01".to_vec()), None);
                };
                let mut at = 0;
                for (n, size) in target::registers() {
                    let Some(chunk) = bytes.get(at..at + size) else {
                        break;
                    };
                    let mut v = [0u8; 8];
                    v[..size].copy_from_slice(chunk);
                    target::write(t.cpu, n, u64::from_le_bytes(v));
                    at += size;
                }
                (ok(), None)
            }
            Some(b'p') => {
                let reg = hex_number(&p[1..]).and_then(|n| {
                    let size = target::registers().find(|&(r, _)| r as u64 == n)?.1;
                    Some((target::read(t.cpu, n as usize)?, size))
                });
                match reg {
                    Some((v, size)) => (Some(hex(&v.to_le_bytes()[..size]).into_bytes()), None),
                    None => (Some(b"E01".to_vec()), None),
                }
            }
            Some(b'P') => {
                let done = text[1..].split_once('=').and_then(|(n, v)| {
                    let n = usize::from_str_radix(n, 16).ok()?;
                    let bytes = unhex(v.as_bytes())?;
                    let mut value = [0u8; 8];
                    let len = bytes.len().min(8);
                    value[..len].copy_from_slice(&bytes[..len]);
                    target::write(t.cpu, n, u64::from_le_bytes(value)).then_some(())
                });
                (Some(if done.is_some() { "OK" } else { "E01" }.into()), None)
            }
            Some(b'm') => (Some(self.read_memory(&text[1..], t.mem).into_bytes()), None),
            Some(b'M') => (Some(self.write_memory(&text[1..], t).into_bytes()), None),
            Some(b'Z') | Some(b'z') => (Some(self.breakpoint(&text).into_bytes()), None),
            Some(b'c') => (None, go(false, false)),
            Some(b's') => (None, go(true, false)),
            Some(b'C') => (None, go(false, true)),
            Some(b'S') => (None, go(true, true)),
            Some(b'k') => (None, Some(Resume::Kill)),
            Some(b'D') => (ok(), Some(Resume::Detach)),
            Some(b'H') | Some(b'T') => (ok(), None),
            _ if text.starts_with("vCont?") => (Some(b"vCont;c;C;s;S".to_vec()), None),
            _ if text.starts_with("vCont;") => match vcont_action(&text[6..], self.tid) {
                Some(resume) => (None, Some(resume)),
                None => (Some(b"E01".to_vec()), None),
            },
            _ if text.starts_with("vKill") => (ok(), Some(Resume::Kill)),
            _ if text.starts_with("qSupported") => {
                self.swbreak = text.contains("swbreak+");
                (
                    Some(
                        b"PacketSize=4000;QStartNoAckMode+;QPassSignals+;swbreak+;\
                         qXfer:features:read+;qXfer:auxv:read+;qXfer:exec-file:read+"
                            .to_vec(),
                    ),
                    None,
                )
            }
            _ if text == "QStartNoAckMode" => {
                // The OK is still acknowledged; everything after it is not.
                let sent = self.conn.send(b"OK");
                self.conn.set_no_ack();
                if sent.is_err() {
                    return (None, Some(Resume::Kill));
                }
                (None, None)
            }
            _ if text.starts_with("QPassSignals:") => {
                self.pass = text["QPassSignals:".len()..]
                    .split(';')
                    .filter_map(|n| u8::from_str_radix(n, 16).ok())
                    .filter_map(target::linux_signal)
                    .fold(0, |mask, sig| mask | 1u128 << sig);
                (ok(), None)
            }
            _ if text.starts_with("vFile:") => (
                Some(self.host_io.handle(&text["vFile:".len()..], &self.options)),
                None,
            ),
            _ if text.starts_with("qXfer:") => (Some(self.transfer(&text)), None),
            _ if text == "qAttached" => (Some(b"0".to_vec()), None),
            _ if text == "qC" => (Some(format!("QC{:x}", self.tid).into_bytes()), None),
            _ if text == "qfThreadInfo" => (Some(format!("m{:x}", self.tid).into_bytes()), None),
            _ if text == "qsThreadInfo" => (Some(b"l".to_vec()), None),
            _ if text.starts_with("qSymbol") => (ok(), None),
            // Everything else is unsupported: the empty reply says so.
            _ => (Some(Vec::new()), None),
        }
    }

    /// `m ADDR,LEN`: the readable prefix of the range (an error if none of it is).
    fn read_memory(&self, args: &str, mem: &GuestMemory) -> String {
        let Some((addr, len)) = addr_len(args) else {
            return "E01".into();
        };
        let len = len.min(0x4000);
        let mut out = Vec::with_capacity(len as usize);
        for i in 0..len {
            let mut b = [0u8; 1];
            if mem.read_bytes(addr.wrapping_add(i), &mut b).is_err() {
                break;
            }
            out.push(b[0]);
        }
        if out.is_empty() && len > 0 {
            return "E14".into();
        }
        hex(&out)
    }

    /// `M ADDR,LEN:BYTES`: writes as a debugger may, read-only code included, and drops
    /// the translations of what changed.
    fn write_memory(&self, args: &str, t: &mut Target) -> String {
        let Some((range, data)) = args.split_once(':') else {
            return "E01".into();
        };
        let (Some((addr, len)), Some(bytes)) = (addr_len(range), unhex(data.as_bytes())) else {
            return "E01".into();
        };
        if bytes.len() as u64 != len {
            return "E01".into();
        }
        if t.mem.write_bytes_privileged(addr, &bytes).is_err() {
            return "E14".into();
        }
        let end = addr.saturating_add(len);
        t.engine.invalidate_code(addr, end);
        self.group
            .invalidate_code(CodeChange::Range { start: addr, end });
        "OK".into()
    }

    /// `Z0`/`Z1` insert, `z0`/`z1` remove a breakpoint (software and hardware ones are
    /// the same here); watchpoints are not supported.
    fn breakpoint(&mut self, text: &str) -> String {
        let mut parts = text[1..].split(',');
        let kind = parts.next();
        let addr = parts.next().and_then(|a| u64::from_str_radix(a, 16).ok());
        match (kind, addr) {
            (Some("0" | "1"), Some(addr)) => {
                if text.starts_with('Z') {
                    self.breakpoints.insert(addr);
                } else {
                    self.breakpoints.remove(&addr);
                }
                "OK".into()
            }
            _ => String::new(),
        }
    }

    /// `qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH`.
    fn transfer(&self, text: &str) -> Vec<u8> {
        let mut parts = text.splitn(5, ':');
        let (_, object, op, annex, window) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        );
        let data: Vec<u8> = match (object, op, annex) {
            (Some("features"), Some("read"), Some("target.xml")) => {
                target::description().into_bytes()
            }
            (Some("auxv"), Some("read"), _) => self.auxv.clone(),
            (Some("exec-file"), Some("read"), _) => self.exe.clone(),
            (Some("features"), Some("read"), _) => return b"E00".to_vec(),
            _ => return Vec::new(),
        };
        let Some((offset, len)) = window.and_then(addr_len) else {
            return b"E01".to_vec();
        };
        let start = (offset as usize).min(data.len());
        let end = start.saturating_add(len as usize).min(data.len());
        let marker = if end == data.len() { b'l' } else { b'm' };
        // Binary data: the packet layer escapes what must be.
        let mut out = Vec::with_capacity(end - start + 1);
        out.push(marker);
        out.extend_from_slice(&data[start..end]);
        out
    }

    /// While the guest runs, a host thread watches the connection for gdb's Ctrl-C
    /// and raises the engine's interrupt flag when it comes.
    fn start_watching(&mut self, engine: &Engine) {
        let Ok(stream) = self.conn.stream().try_clone() else {
            return;
        };
        let fd = std::os::fd::AsRawFd::as_raw_fd(&stream);
        let running = Arc::new(AtomicBool::new(true));
        let flag = engine.interrupt_flag();
        let interrupted = self.interrupted.clone();
        let still = running.clone();
        let thread =
            crate::signal::host::spawn_with_signals_blocked("vm gdb watch", 64 * 1024, move || {
                watch(stream, still, flag, interrupted)
            });
        if let Ok(thread) = thread {
            self.watcher = Some(Watcher {
                running,
                thread,
                fd,
            });
        }
    }

    fn stop_watching(&mut self) {
        if let Some(w) = self.watcher.take() {
            w.running.store(false, Ordering::Release);
            let _ = w.thread.join();
        }
    }
}

impl Drop for Debugger {
    fn drop(&mut self) {
        if self.owned_here() {
            self.stop_watching();
        }
    }
}

/// The watcher thread: polls the connection until the guest stops; a `0x03` byte sets
/// `interrupted` and the engine's interrupt flag. Anything else is left for the stub.
fn watch(
    stream: TcpStream,
    running: Arc<AtomicBool>,
    flag: Arc<AtomicBool>,
    interrupted: Arc<AtomicBool>,
) {
    use std::os::fd::AsRawFd;
    while running.load(Ordering::Acquire) {
        let mut fds = [libc::pollfd {
            fd: stream.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        }];
        // SAFETY: `fds` is a valid array of one pollfd for the duration of the call.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), 1, 50) };
        if ready <= 0 {
            continue;
        }
        let mut byte = [0u8; 1];
        match stream.peek(&mut byte) {
            Ok(1) if byte[0] == 0x03 => {
                let mut eat = [0u8; 1];
                let _ = (&stream).read_exact_one(&mut eat);
                interrupted.store(true, Ordering::Release);
                flag.store(true, Ordering::Release);
            }
            // A packet while running (or the end of the connection): the stub reads
            // it at the next stop; stop polling a descriptor that stays readable.
            _ => return,
        }
    }
}

/// `read_exact` of one byte on a shared stream reference.
trait ReadOne {
    fn read_exact_one(self, buf: &mut [u8; 1]) -> std::io::Result<()>;
}

impl ReadOne for &TcpStream {
    fn read_exact_one(mut self, buf: &mut [u8; 1]) -> std::io::Result<()> {
        std::io::Read::read_exact(&mut self, buf)
    }
}

/// `ADDR,LEN` in hex.
fn addr_len(s: &str) -> Option<(u64, u64)> {
    let (a, l) = s.split_once(',')?;
    Some((
        u64::from_str_radix(a, 16).ok()?,
        u64::from_str_radix(l, 16).ok()?,
    ))
}

/// The action of a `vCont;ACTION[:TID];...` packet that applies to our thread: the
/// first one naming it, else the first without a thread.
fn vcont_action(actions: &str, tid: i32) -> Option<Resume> {
    let ours = format!("{tid:x}");
    let mut fallback = None;
    for action in actions.split(';') {
        let (what, thread) = match action.split_once(':') {
            Some((w, t)) => (w, Some(t)),
            None => (action, None),
        };
        let resume = match what.as_bytes().first()? {
            b'c' => Resume::Go {
                step: false,
                deliver: false,
            },
            b's' => Resume::Go {
                step: true,
                deliver: false,
            },
            b'C' => Resume::Go {
                step: false,
                deliver: true,
            },
            b'S' => Resume::Go {
                step: true,
                deliver: true,
            },
            _ => return None,
        };
        match thread {
            Some(t) if t == ours || t == "-1" || t.ends_with(&format!(".{ours}")) => {
                return Some(resume)
            }
            Some(_) => {}
            None => {
                fallback.get_or_insert(resume);
            }
        }
    }
    fallback
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcont_takes_the_action_for_our_thread() {
        let step = Resume::Go {
            step: true,
            deliver: false,
        };
        let cont = Resume::Go {
            step: false,
            deliver: false,
        };
        assert_eq!(vcont_action("s:1f;c", 0x1f), Some(step));
        assert_eq!(vcont_action("s:20;c", 0x1f), Some(cont));
        assert_eq!(
            vcont_action("C0b:1f", 0x1f),
            Some(Resume::Go {
                step: false,
                deliver: true
            })
        );
        assert_eq!(vcont_action("s:p1f.1f", 0x1f), Some(step));
        assert_eq!(vcont_action("t", 0x1f), None);
        assert_eq!(addr_len("10000,40"), Some((0x10000, 0x40)));
        assert_eq!(addr_len("10000"), None);
    }
}
