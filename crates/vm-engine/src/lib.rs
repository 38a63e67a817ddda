//! The execution engine: the dispatch loop that finds or translates the block at the
//! guest pc and runs it, the IR interpreter, and the hook where a compiled tier plugs in.
//!
//! The engine knows nothing of Linux: it runs guest code until something only the system
//! can handle happens (a system call, a fault, a pending interrupt) and returns an
//! [`Exit`] with `CpuState::pc` naming the instruction concerned.
//!
//! Blocks are chained: each cached block remembers the last two blocks control went to
//! from it (`CachedBlock::links`), so the loop follows a link instead of looking the next
//! pc up; a link is followed only while its target is live and starts at that pc, so
//! invalidation and flushes need not find the links into what they discard.
//!
//! Where the JIT plugs in (its own issue): every cached block counts its executions
//! (`CachedBlock::executions`). A compiled tier adds `EngineKind::Jit`/`Hybrid`; in
//! `Engine::run`, a block whose count crosses the tier's threshold (or that the AOT cache
//! already holds) is handed to `vm-engine-jit` as the same `IRBlock` the interpreter runs,
//! and its native code is then entered with a pointer to this thread's `CpuState` (whose
//! `#[repr(C)]` layout compiled code reads at fixed offsets) instead of interpreting. The
//! block cache is per engine and the engine per guest thread; compiled code is meant to
//! be shared between threads, so it must not live in the engine.

pub mod cpu;

mod block_cache;
mod interp;
#[cfg(test)]
mod tests;
mod uop;
mod watch;

pub use cpu::CpuState;
pub use watch::{WatchKind, Watchpoint};

use block_cache::BlockCache;
use interp::BlockEnd;
use rustc_hash::FxHashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use vm_ir::{BlockExit, GuestAddr};
use vm_memory::{GuestMemory, MemFault};

/// Why the dispatch loop returned. In every case `cpu.pc` is the address of the
/// instruction concerned and the guest state is precise: everything before it retired,
/// nothing of it did (except `Syscall`, where the system completes it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// `ecall`: handle the system call, then resume at `pc + 4`.
    Syscall,
    /// `ebreak` (SIGTRAP).
    Breakpoint,
    /// An illegal instruction (SIGILL); `bits` is its encoding when known, else 0.
    IllegalInstruction { bits: u32 },
    /// A load, store or fetch the guest mappings do not allow (SIGSEGV).
    MemoryFault(MemFault),
    /// A misaligned LR/SC/AMO address (SIGBUS).
    MisalignedAtomic { addr: GuestAddr },
    /// [`Engine::interrupt_flag`] was raised; resume with `run` when it is handled.
    Interrupted,
    /// A debugger's breakpoint ([`Engine::set_breakpoints`]) is at `pc`; nothing of that
    /// instruction ran.
    DebugBreakpoint,
    /// [`Engine::step`] retired one instruction; `pc` is the next one.
    Stepped,
    /// The instruction at `pc` would access `addr`, watched by a debugger's watchpoint
    /// of `kind` ([`Engine::set_watchpoints`]); nothing of that instruction ran.
    Watchpoint { addr: GuestAddr, kind: WatchKind },
}

/// Which back ends execute guest code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum EngineKind {
    /// Interpret everything.
    #[default]
    Interp,
}

/// Counters for diagnostics and benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EngineStats {
    /// Blocks translated from guest code to IR.
    pub blocks_translated: u64,
    /// Blocks executed.
    pub blocks_executed: u64,
    /// Times all translated code was discarded (`fence.i`, or a change of code the
    /// system could not narrow down).
    pub flushes: u64,
    /// Times the translations of a range of guest code were discarded.
    pub range_invalidations: u64,
    /// Blocks those discarded.
    pub blocks_invalidated: u64,
}

/// One guest thread's engine: its translated-block cache and dispatch loop.
pub struct Engine {
    kind: EngineKind,
    cache: BlockCache,
    translator: vm_frontend::Translator,
    interrupt: Arc<AtomicBool>,
    stats: EngineStats,
    /// A debugger's breakpoints: `run` stops before executing any of them, and blocks
    /// are formed to start at each, so only block starts need checking.
    breakpoints: FxHashSet<GuestAddr>,
    /// A debugger's watchpoints: with any, blocks run through the interpreter's copy
    /// that checks each access against them.
    watchpoints: Vec<Watchpoint>,
}

impl Engine {
    pub fn new(kind: EngineKind) -> Engine {
        Engine {
            kind,
            cache: BlockCache::default(),
            translator: vm_frontend::Translator::default(),
            interrupt: Arc::new(AtomicBool::new(false)),
            stats: EngineStats::default(),
            breakpoints: FxHashSet::default(),
            watchpoints: Vec::new(),
        }
    }

    pub fn kind(&self) -> EngineKind {
        self.kind
    }

    /// A flag that, when set (e.g. from a host signal handler), makes `run` return
    /// [`Exit::Interrupted`] at the next block boundary. `run` clears it when it returns.
    pub fn interrupt_flag(&self) -> Arc<AtomicBool> {
        self.interrupt.clone()
    }

    pub fn stats(&self) -> EngineStats {
        self.stats
    }

    /// Discards all translated code.
    pub fn flush_code(&mut self) {
        self.cache.flush();
        self.stats.flushes += 1;
    }

    /// Discards the code translated from any guest byte in `[start, end)` (call after
    /// the mappings or the contents of guest code there change).
    pub fn invalidate_code(&mut self, start: GuestAddr, end: GuestAddr) {
        let gone = self.cache.invalidate(start, end);
        self.stats.range_invalidations += 1;
        self.stats.blocks_invalidated += gone as u64;
    }

    /// Makes `run` stop with [`Exit::DebugBreakpoint`] before executing the instruction
    /// at any of `addrs` (replacing the previous set); discards translated code when the
    /// set changes, so that every block starts at a breakpoint rather than running
    /// across it.
    pub fn set_breakpoints(&mut self, addrs: impl IntoIterator<Item = GuestAddr>) {
        let new: FxHashSet<GuestAddr> = addrs.into_iter().collect();
        if new != self.breakpoints {
            self.breakpoints = new;
            self.flush_code();
        }
    }

    /// Makes `run` and `step` stop with [`Exit::Watchpoint`] before any instruction
    /// that accesses memory as one of `watchpoints` says (replacing the previous set).
    /// Translated code stays: watching is a way of running it.
    pub fn set_watchpoints(&mut self, watchpoints: impl IntoIterator<Item = Watchpoint>) {
        self.watchpoints = watchpoints.into_iter().collect();
    }

    /// Executes the one instruction at `cpu.pc` (a debugger's single step), ignoring
    /// breakpoints but not watchpoints: [`Exit::Stepped`] when it retired, or the exit
    /// it raised.
    pub fn step(&mut self, cpu: &mut CpuState, mem: &GuestMemory) -> Exit {
        if self.interrupt.load(Ordering::Relaxed) {
            self.interrupt.store(false, Ordering::Relaxed);
            return Exit::Interrupted;
        }
        let block = loop {
            let snapshot = mem.code_snapshot();
            let block =
                self.translator
                    .translate_bounded(cpu.pc, &mut |a| mem.fetch_u16(a), 1, &|_| false);
            if mem.unchanged_since(snapshot) {
                break block;
            }
        };
        if let BlockExit::FetchFault { pc, addr } = block.exit {
            return interp::fetch_fault(cpu, mem, pc, addr);
        }
        self.stats.blocks_executed += 1;
        let uops = uop::compile(&block);
        let end = if self.watchpoints.is_empty() {
            uop::run_block::<false>(&block, &uops, cpu, mem, &[])
        } else {
            uop::run_watched(&block, &uops, cpu, mem, &self.watchpoints)
        };
        match end {
            BlockEnd::Next(pc) => cpu.pc = pc,
            BlockEnd::FlushThen(pc) => {
                cpu.pc = pc;
                self.flush_code();
            }
            BlockEnd::Exit(exit) => return exit,
        }
        Exit::Stepped
    }

    /// Runs guest code from `cpu.pc` until an [`Exit`].
    pub fn run(&mut self, cpu: &mut CpuState, mem: &GuestMemory) -> Exit {
        // The block that ran last, to follow its link to the next one.
        let mut prev: Option<block_cache::BlockId> = None;
        loop {
            // A plain load on the hot path; the (rare) clear is a separate store.
            if self.interrupt.load(Ordering::Relaxed) {
                self.interrupt.store(false, Ordering::Relaxed);
                return Exit::Interrupted;
            }
            if !self.breakpoints.is_empty() && self.breakpoints.contains(&cpu.pc) {
                return Exit::DebugBreakpoint;
            }
            let linked = prev.and_then(|p| self.cache.linked(p, cpu.pc));
            let id = match linked {
                Some(id) => id,
                None => {
                    let id = match self.cache.lookup(cpu.pc) {
                        Some(id) => id,
                        None => match self.translate(cpu, mem) {
                            Ok(id) => id,
                            Err(exit) => return exit,
                        },
                    };
                    if let Some(p) = prev {
                        self.cache.link(p, cpu.pc, id);
                    }
                    id
                }
            };
            prev = Some(id);
            let entry = self.cache.get_mut(id);
            entry.executions = entry.executions.saturating_add(1);
            self.stats.blocks_executed += 1;
            let end = if self.watchpoints.is_empty() {
                uop::run_block::<false>(&entry.block, &entry.uops, cpu, mem, &[])
            } else {
                uop::run_watched(&entry.block, &entry.uops, cpu, mem, &self.watchpoints)
            };
            match end {
                BlockEnd::Next(pc) => cpu.pc = pc,
                BlockEnd::FlushThen(pc) => {
                    cpu.pc = pc;
                    self.flush_code();
                    prev = None;
                }
                BlockEnd::Exit(exit) => return exit,
            }
        }
    }

    /// Translates and caches the block at `cpu.pc`; the fault if its first instruction
    /// cannot be fetched. Such a block is not cached: a page becomes fetchable without
    /// anything that would flush it (`mprotect` adding `PROT_EXEC`, a mapping where
    /// there was none), and the fault is retried after the guest's handler changed that.
    #[cold]
    fn translate(
        &mut self,
        cpu: &mut CpuState,
        mem: &GuestMemory,
    ) -> Result<block_cache::BlockId, Exit> {
        let block = loop {
            // Another thread may change the mappings while the block's parcels are
            // checked and read: then translate again (see `GuestMemory::code_snapshot`).
            let snapshot = mem.code_snapshot();
            let fetch = &mut |a| mem.fetch_u16(a);
            let block = if self.breakpoints.is_empty() {
                self.translator.translate(cpu.pc, fetch)
            } else {
                let breakpoints = &self.breakpoints;
                self.translator
                    .translate_bounded(cpu.pc, fetch, usize::MAX, &|a| breakpoints.contains(&a))
            };
            if mem.unchanged_since(snapshot) {
                break block;
            }
        };
        tracing::trace!(target: "vm::ir", "{block}");
        self.stats.blocks_translated += 1;
        if let BlockExit::FetchFault { pc, addr } = block.exit {
            return Err(interp::fetch_fault(cpu, mem, pc, addr));
        }
        Ok(self.cache.insert(block))
    }

    /// Number of blocks currently translated.
    pub fn cached_blocks(&self) -> usize {
        self.cache.len()
    }
}
