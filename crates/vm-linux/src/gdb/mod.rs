//! A gdb remote stub (`vm run --gdb PORT`), so a RISC-V guest can be debugged with
//! `gdb-multiarch` as under qemu-user's `-g`.
//!
//! The stub serves every thread of the program, in gdb's all-stop mode ([`session`]).
//! It stops the guest before its first instruction, at breakpoints (the engine stops
//! before any of their addresses: guest memory is never patched), after single steps,
//! on every signal about to be delivered that gdb did not ask to pass (`QPassSignals`),
//! and on Ctrl-C; it reports the process's exit or death. While stopped it answers
//! gdb's requests for the thread list, registers of any thread (the vector registers
//! and CSRs included, described as gdb and qemu's stub describe them: [`target`]),
//! memory, the target description, the auxiliary vector, the executable's name, and
//! reads of files (the program and its libraries, found as the guest finds them).
//!
//! Watchpoints (`watch`, `rwatch`, `awatch`: `Z2`..`Z4`) stop a thread before an
//! instruction of its accesses the watched bytes, as a RISC-V hart's triggers do and as
//! gdb expects of RISC-V; memory the system writes for the guest (`read(2)`) is not
//! watched.
//!
//! Limits (known, documented in `--help`): a child process after fork runs free (its
//! breakpoints live in the parent's engines, not in memory, so it never hits them); an
//! exec'd program is not debugged; registers of a thread inside a system call are
//! read-only.

pub mod host_io;
pub mod packet;
pub mod session;
pub mod target;

use crate::code_changes::CodeChange;
use crate::thread::ThreadGroup;
use packet::{hex, hex_number, unhex, Connection, Incoming};
use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::Arc;
use vm_engine::{CpuState, Engine, WatchKind, Watchpoint};
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
    /// Before an instruction that accesses `addr`, which a watchpoint of `kind` covers.
    Watchpoint { addr: GuestAddr, kind: WatchKind },
    /// gdb asked the running guest to stop.
    Interrupt,
}

/// How one thread is resumed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Action {
    /// One instruction only.
    pub step: bool,
    /// At a signal stop: the signal reaches the guest (gdb's `C`) rather than being
    /// discarded (`c`).
    pub deliver: bool,
}

/// Which threads a resume runs, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Threads named by the resume.
    pub threads: Vec<(i32, Action)>,
    /// Every other thread (`None`: they stay stopped).
    pub rest: Option<Action>,
}

impl Plan {
    /// Every thread runs on as `action` says.
    pub fn all(action: Action) -> Plan {
        Plan {
            threads: Vec::new(),
            rest: Some(action),
        }
    }

    pub fn action_for(&self, tid: i32) -> Option<Action> {
        match self.threads.iter().find(|&&(t, _)| t == tid) {
            Some(&(_, action)) => Some(action),
            None => self.rest,
        }
    }
}

/// What gdb wants done after a stop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resume {
    /// Run the threads the plan names.
    Go(Plan),
    /// Stop debugging; the guest runs on alone.
    Detach,
    /// End the process (gdb's `kill`, or the connection was lost).
    Kill,
}

/// A stopped thread other than the one reporting the stop.
pub struct OtherThread {
    pub cpu: CpuState,
    /// False while it is inside a system call.
    pub writable: bool,
}

/// The guest a stop is about: the reporting thread's id, CPU, memory and engine, and
/// the other threads.
pub struct Target<'a> {
    pub tid: i32,
    pub cpu: &'a mut CpuState,
    pub mem: &'a GuestMemory,
    pub engine: &'a mut Engine,
    pub others: &'a mut BTreeMap<i32, OtherThread>,
}

impl Target<'_> {
    /// Thread `tid`'s registers (the reporter's for 0 or -1), and whether gdb may write
    /// them.
    fn registers(&mut self, tid: i32) -> Option<(&mut CpuState, bool)> {
        if tid <= 0 || tid == self.tid {
            return Some((&mut *self.cpu, true));
        }
        let other = self.others.get_mut(&tid)?;
        Some((&mut other.cpu, other.writable))
    }

    fn alive(&self, tid: i32) -> bool {
        tid <= 0 || tid == self.tid || self.others.contains_key(&tid)
    }
}

/// The stub: gdb's connection and what gdb asked for.
pub struct Debugger {
    conn: Connection,
    fds: Descriptors,
    group: Arc<ThreadGroup>,
    breakpoints: BTreeSet<GuestAddr>,
    watchpoints: BTreeSet<Watchpoint>,
    /// Linux signals delivered without stopping (`QPassSignals`), bit `sig`.
    pass: u128,
    /// gdb understands `swbreak` stop reasons.
    swbreak: bool,
    /// The thread whose registers `g`, `G`, `p` and `P` mean (`Hg`; 0: the reporter).
    selected: i32,
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
    /// Its descriptor of the connection, closed only after the thread ended.
    _stream: Arc<TcpStream>,
}

/// The host descriptors of a stub's connection: `[the stub's, its watcher's]` (-1:
/// none), which a forked child closes without touching the stub itself.
pub type Descriptors = Arc<[AtomicI32; 2]>;

/// In a forked child: closes the child's copies of the parent's stub's descriptors.
pub fn close_inherited(fds: &Descriptors) {
    for fd in fds.iter() {
        let fd = fd.swap(-1, Ordering::AcqRel);
        if fd >= 0 {
            // SAFETY: the child's copy of a descriptor of the parent's stub, which
            // nothing in the child uses.
            unsafe { libc::close(fd) };
        }
    }
}

/// What gdb asked every thread to stop at: its breakpoints and watchpoints.
#[derive(Clone, Debug, Default)]
pub struct Points {
    breakpoints: Vec<GuestAddr>,
    watchpoints: Vec<Watchpoint>,
}

impl Points {
    /// Makes `engine` stop at these.
    pub fn arm(&self, engine: &mut Engine) {
        engine.set_breakpoints(self.breakpoints.iter().copied());
        engine.set_watchpoints(self.watchpoints.iter().copied());
    }
}

/// Makes `engine` stop at no breakpoint or watchpoint (the guest runs undebugged).
pub fn disarm(engine: &mut Engine) {
    engine.set_breakpoints([]);
    engine.set_watchpoints([]);
}

impl Debugger {
    /// A stub for the process of thread group `group`, serving `stream`.
    pub fn new(
        stream: TcpStream,
        group: Arc<ThreadGroup>,
        auxv: Vec<u8>,
        exe: Vec<u8>,
        options: crate::VmOptions,
    ) -> Debugger {
        let fd = std::os::fd::AsRawFd::as_raw_fd(&stream);
        Debugger {
            conn: Connection::new(stream),
            fds: Arc::new([AtomicI32::new(fd), AtomicI32::new(-1)]),
            group,
            breakpoints: BTreeSet::new(),
            watchpoints: BTreeSet::new(),
            pass: 0,
            swbreak: false,
            selected: 0,
            watcher: None,
            auxv,
            exe,
            last_stop: "S05".into(),
            host_io: host_io::HostIo::default(),
            options,
        }
    }

    /// The descriptors a forked child closes.
    pub fn descriptors(&self) -> Descriptors {
        self.fds.clone()
    }

    pub fn group(&self) -> Arc<ThreadGroup> {
        self.group.clone()
    }

    /// The breakpoints and watchpoints gdb has set.
    pub fn points(&self) -> Points {
        Points {
            breakpoints: self.breakpoints.iter().copied().collect(),
            watchpoints: self.watchpoints.iter().copied().collect(),
        }
    }

    /// Whether a signal stops the guest for gdb, rather than passing straight through.
    pub fn stops_for(&self, sig: i32) -> bool {
        (0..128).contains(&sig) && self.pass & (1u128 << sig) == 0
    }

    /// Reports `why` to gdb and serves its requests until it resumes the guest. A lost
    /// connection kills the process, as gdb's going away does under qemu.
    pub fn stop(&mut self, why: Stop, target: &mut Target) -> Resume {
        self.stop_watching();
        self.selected = 0;
        let tid = target.tid;
        self.last_stop = match why {
            Stop::Start => "S05".to_string(),
            Stop::Breakpoint if self.swbreak => format!("T05thread:{tid:x};swbreak:;"),
            Stop::Breakpoint | Stop::Step => format!("T05thread:{tid:x};"),
            Stop::Signal(sig) => format!("T{:02x}thread:{tid:x};", target::gdb_signal(sig)),
            Stop::Interrupt => format!("T02thread:{tid:x};"),
            Stop::Watchpoint { addr, kind } => {
                let reason = match kind {
                    WatchKind::Write => "watch",
                    WatchKind::Read => "rwatch",
                    WatchKind::Access => "awatch",
                };
                format!("T05thread:{tid:x};{reason}:{addr:x};")
            }
        };
        if why != Stop::Start {
            let reply = self.last_stop.clone();
            if self.conn.send(reply.as_bytes()).is_err() {
                return Resume::Kill;
            }
        }
        let resume = self.serve(target);
        if let Resume::Go(_) = resume {
            self.points().arm(target.engine);
            self.start_watching();
        } else {
            disarm(target.engine);
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
        let error = || Some(b"E01".to_vec());
        let reporter = t.tid;
        let all = |step, deliver| Some(Resume::Go(Plan::all(Action { step, deliver })));
        // A step without vCont steps the reporting thread alone.
        let step_one = |deliver| {
            Some(Resume::Go(Plan {
                threads: vec![(
                    reporter,
                    Action {
                        step: true,
                        deliver,
                    },
                )],
                rest: None,
            }))
        };
        let selected = self.selected;
        match p.first().copied() {
            Some(b'?') => (Some(self.last_stop.clone().into_bytes()), None),
            Some(b'g') => {
                let Some((cpu, _)) = t.registers(selected) else {
                    return (error(), None);
                };
                let mut out = String::new();
                for (n, size) in target::registers() {
                    let value = target::read(cpu, n).unwrap_or_else(|| vec![0; size]);
                    out += &hex(&value);
                }
                (Some(out.into_bytes()), None)
            }
            Some(b'G') => {
                let (Some(bytes), Some((cpu, true))) = (unhex(&p[1..]), t.registers(selected))
                else {
                    return (error(), None);
                };
                let mut at = 0;
                for (n, size) in target::registers() {
                    let Some(chunk) = bytes.get(at..at + size) else {
                        break;
                    };
                    target::write(cpu, n, chunk);
                    at += size;
                }
                (ok(), None)
            }
            Some(b'p') => {
                let value = hex_number(&p[1..]).and_then(|n| {
                    let (cpu, _) = t.registers(selected)?;
                    target::read(cpu, usize::try_from(n).ok()?)
                });
                match value {
                    Some(bytes) => (Some(hex(&bytes).into_bytes()), None),
                    None => (error(), None),
                }
            }
            Some(b'P') => {
                let done = text[1..].split_once('=').and_then(|(n, v)| {
                    let n = usize::from_str_radix(n, 16).ok()?;
                    let bytes = unhex(v.as_bytes())?;
                    let (cpu, true) = t.registers(selected)? else {
                        return None;
                    };
                    target::write(cpu, n, &bytes).then_some(())
                });
                (Some(if done.is_some() { "OK" } else { "E01" }.into()), None)
            }
            Some(b'm') => (Some(self.read_memory(&text[1..], t.mem).into_bytes()), None),
            Some(b'M') => (Some(self.write_memory(&text[1..], t).into_bytes()), None),
            Some(b'Z') | Some(b'z') => (Some(self.breakpoint(&text).into_bytes()), None),
            Some(b'c') => (None, all(false, false)),
            Some(b'C') => (None, all(false, true)),
            Some(b's') => (None, step_one(false)),
            Some(b'S') => (None, step_one(true)),
            Some(b'k') => (None, Some(Resume::Kill)),
            Some(b'D') => (ok(), Some(Resume::Detach)),
            // `Hg`: the thread whose registers later packets mean; `Hc` (the thread
            // of `c` and `s`) is not needed: gdb resumes with vCont.
            Some(b'H') => match (p.get(1), thread_id(&text[2..])) {
                (Some(b'g'), Some(tid)) if t.alive(tid) => {
                    self.selected = tid;
                    (ok(), None)
                }
                (Some(b'g'), _) => (error(), None),
                _ => (ok(), None),
            },
            Some(b'T') => match thread_id(&text[1..]) {
                Some(tid) if t.alive(tid) => (ok(), None),
                _ => (error(), None),
            },
            _ if text.starts_with("vCont?") => (Some(b"vCont;c;C;s;S".to_vec()), None),
            _ if text.starts_with("vCont;") => match vcont_plan(&text[6..]) {
                Some(plan) => (None, Some(Resume::Go(plan))),
                None => (error(), None),
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
            _ if text == "qC" => (Some(format!("QC{reporter:x}").into_bytes()), None),
            _ if text == "qfThreadInfo" => {
                let mut tids: Vec<i32> = t.others.keys().copied().collect();
                tids.push(reporter);
                tids.sort_unstable();
                let list: Vec<String> = tids.iter().map(|t| format!("{t:x}")).collect();
                (Some(format!("m{}", list.join(",")).into_bytes()), None)
            }
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

    /// `Z`/`z` packets: insert or remove a breakpoint or watchpoint.
    fn breakpoint(&mut self, text: &str) -> String {
        let insert = text.starts_with('Z');
        match point_request(&text[1..]) {
            Point::Break(addr) if insert => self.breakpoints.insert(addr),
            Point::Break(addr) => self.breakpoints.remove(&addr),
            Point::Watch(w) if insert => self.watchpoints.insert(w),
            Point::Watch(w) => self.watchpoints.remove(&w),
            // An empty reply: gdb then knows not to use this kind.
            Point::Unsupported => return String::new(),
            Point::Malformed => return "E01".into(),
        };
        "OK".into()
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
    /// and wakes every thread when it comes.
    fn start_watching(&mut self) {
        let Ok(stream) = self.conn.stream().try_clone() else {
            return;
        };
        let stream = Arc::new(stream);
        self.fds[1].store(std::os::fd::AsRawFd::as_raw_fd(&*stream), Ordering::Release);
        let running = Arc::new(AtomicBool::new(true));
        let group = self.group.clone();
        let (still, watched) = (running.clone(), stream.clone());
        let thread =
            crate::signal::host::spawn_with_signals_blocked("vm gdb watch", 64 * 1024, move || {
                watch(&watched, &still, &group)
            });
        match thread {
            Ok(thread) => {
                self.watcher = Some(Watcher {
                    running,
                    thread,
                    _stream: stream,
                })
            }
            Err(_) => self.fds[1].store(-1, Ordering::Release),
        }
    }

    fn stop_watching(&mut self) {
        if let Some(w) = self.watcher.take() {
            w.running.store(false, Ordering::Release);
            let _ = w.thread.join();
            self.fds[1].store(-1, Ordering::Release);
        }
    }
}

impl Drop for Debugger {
    /// Only in the process that owns the stub: a forked child forgets its copy
    /// ([`session::Session::abandon_after_fork`]).
    fn drop(&mut self) {
        self.stop_watching();
    }
}

/// The watcher thread: polls the connection until the guest stops; a `0x03` byte raises
/// the group's [`ThreadGroup::debugger_interrupt`] and wakes every thread, running guest
/// code or waiting in a system call. Anything else is left for the stub.
fn watch(stream: &TcpStream, running: &AtomicBool, group: &ThreadGroup) {
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
                let _ = stream.read_exact_one(&mut eat);
                group.debugger_interrupt.store(true, Ordering::Release);
                // Whichever thread gets back to the process loop first reports the stop.
                for member in group.members() {
                    member.wake();
                }
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

/// A thread id as gdb writes it: hex, `-1` for all, `0` for any (both 0 here), or
/// `pPID.TID`.
fn thread_id(s: &str) -> Option<i32> {
    let s = s.rsplit_once('.').map_or(s, |(_, tid)| tid);
    if s == "-1" {
        return Some(0);
    }
    i32::from_str_radix(s, 16).ok()
}

/// The plan of a `vCont;ACTION[:TID];...` packet: each thread takes the first action
/// that names it; an action without a thread (or with `-1`) is for all the rest.
fn vcont_plan(actions: &str) -> Option<Plan> {
    let mut plan = Plan {
        threads: Vec::new(),
        rest: None,
    };
    for part in actions.split(';') {
        let (what, thread) = match part.split_once(':') {
            Some((w, t)) => (w, Some(t)),
            None => (part, None),
        };
        let (step, deliver) = match what.as_bytes().first()? {
            b'c' => (false, false),
            b's' => (true, false),
            b'C' => (false, true),
            b'S' => (true, true),
            _ => return None,
        };
        let action = Action { step, deliver };
        match thread.map(thread_id) {
            Some(None) => return None,
            Some(Some(tid)) if tid > 0 => {
                if !plan.threads.iter().any(|&(t, _)| t == tid) {
                    plan.threads.push((tid, action));
                }
            }
            _ => {
                plan.rest.get_or_insert(action);
            }
        }
    }
    Some(plan)
}

/// What a `Z`/`z` packet (after its letter) names.
#[derive(Debug, PartialEq, Eq)]
enum Point {
    /// `0` or `1` (software and hardware breakpoints are the same here).
    Break(GuestAddr),
    /// `2`, `3`, `4`: a write, read or access watchpoint of `LEN` bytes.
    Watch(Watchpoint),
    Unsupported,
    Malformed,
}

/// Parses `TYPE,ADDR,KIND` (KIND is the length of a watchpoint).
fn point_request(text: &str) -> Point {
    let mut parts = text.split(',');
    let kind = parts.next();
    let addr = parts.next().and_then(|a| u64::from_str_radix(a, 16).ok());
    let len = parts.next().and_then(|l| u64::from_str_radix(l, 16).ok());
    let watch = |kind| match (addr, len) {
        (Some(addr), Some(len @ 1..)) => Point::Watch(Watchpoint { addr, len, kind }),
        _ => Point::Malformed,
    };
    match kind {
        Some("0" | "1") => addr.map_or(Point::Malformed, Point::Break),
        Some("2") => watch(WatchKind::Write),
        Some("3") => watch(WatchKind::Read),
        Some("4") => watch(WatchKind::Access),
        _ => Point::Unsupported,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcont_plans_name_threads_and_the_rest() {
        let step = Action {
            step: true,
            deliver: false,
        };
        let cont = Action {
            step: false,
            deliver: false,
        };
        let plan = vcont_plan("s:1f;c").unwrap();
        assert_eq!(plan.action_for(0x1f), Some(step));
        assert_eq!(plan.action_for(0x20), Some(cont));
        let alone = vcont_plan("s:1f").unwrap();
        assert_eq!(alone.action_for(0x1f), Some(step));
        assert_eq!(alone.action_for(0x20), None);
        assert_eq!(
            vcont_plan("C0b:1f").unwrap().action_for(0x1f),
            Some(Action {
                step: false,
                deliver: true
            })
        );
        assert_eq!(vcont_plan("s:p1f.1f").unwrap().action_for(0x1f), Some(step));
        assert_eq!(vcont_plan("c:-1").unwrap().action_for(5), Some(cont));
        assert_eq!(vcont_plan("t"), None);
        assert_eq!(thread_id("p2a.2b"), Some(0x2b));
        assert_eq!(addr_len("10000,40"), Some((0x10000, 0x40)));
        assert_eq!(addr_len("10000"), None);
    }

    #[test]
    fn z_packets_name_breakpoints_and_watchpoints() {
        let watch = |addr, len, kind| Point::Watch(Watchpoint { addr, len, kind });
        assert_eq!(point_request("0,10074,2"), Point::Break(0x10074));
        assert_eq!(point_request("1,10074,4"), Point::Break(0x10074));
        assert_eq!(
            point_request("2,2f010,4"),
            watch(0x2f010, 4, WatchKind::Write)
        );
        assert_eq!(
            point_request("3,2f010,8"),
            watch(0x2f010, 8, WatchKind::Read)
        );
        assert_eq!(
            point_request("4,2f013,1"),
            watch(0x2f013, 1, WatchKind::Access)
        );
        assert_eq!(point_request("2,2f010,0"), Point::Malformed);
        assert_eq!(point_request("2,2f010"), Point::Malformed);
        assert_eq!(point_request("0,xyz,2"), Point::Malformed);
        assert_eq!(point_request("5,2f010,4"), Point::Unsupported);
    }
}
