//! Engine tests on small hand-assembled programs (encodings from the GNU assembler).

use crate::*;
use vm_memory::{Access, Perm, RegionKind};

const CODE: u64 = 0x10000;
const DATA: u64 = 0x20000;
const ECALL: u32 = 0x0000_0073;
/// `a0 = 10 + 9 + ... + 1`, then a system call.
const SUM_TO_TEN: [u32; 6] = [
    0x0000_0513, // li a0, 0
    0x00a0_0593, // li a1, 10
    0x00b5_0533, // add a0, a0, a1
    0xfff5_8593, // addi a1, a1, -1
    0xfe05_9ce3, // bnez a1, -8
    ECALL,
];

fn setup(code: &[u32]) -> (Engine, CpuState, GuestMemory) {
    let mem = GuestMemory::new().unwrap();
    mem.map_fixed(CODE, 0x1000, Perm::RX, RegionKind::Anonymous)
        .unwrap();
    mem.map_fixed(DATA, 0x1000, Perm::RW, RegionKind::Anonymous)
        .unwrap();
    let bytes: Vec<u8> = code.iter().flat_map(|w| w.to_le_bytes()).collect();
    mem.write_bytes_privileged(CODE, &bytes).unwrap();
    let cpu = CpuState {
        pc: CODE,
        ..CpuState::default()
    };
    (Engine::new(EngineKind::Interp), cpu, mem)
}

#[test]
fn runs_a_loop_until_the_system_call() {
    let (mut engine, mut cpu, mem) = setup(&SUM_TO_TEN);
    assert_eq!(engine.run(&mut cpu, &mem), Exit::Syscall);
    assert_eq!(cpu.x(10), 55);
    assert_eq!(cpu.pc, CODE + 20);
    assert_eq!(cpu.instret, 2 + 3 * 10 + 1);
    assert_eq!(
        engine.stats().blocks_translated,
        3,
        "entry, loop body, ecall block"
    );
}

#[test]
fn a_faulting_load_is_precise() {
    let (mut engine, mut cpu, mem) = setup(&[
        0x0070_0513, // li a0, 7
        0x0000_3503, // ld a0, 0(zero)
        ECALL,
    ]);
    let exit = engine.run(&mut cpu, &mem);
    assert_eq!(
        exit,
        Exit::MemoryFault(vm_memory::MemFault {
            addr: 0,
            access: Access::Read,
            kind: vm_memory::FaultKind::Unmapped
        })
    );
    assert_eq!(cpu.pc, CODE + 4, "pc names the load");
    assert_eq!(cpu.x(10), 7, "the load wrote nothing");
    assert_eq!(cpu.instret, 1);
}

#[test]
fn an_illegal_instruction_stops_after_the_previous_one() {
    let (mut engine, mut cpu, mem) = setup(&[
        0x0050_0513, // li a0, 5
        0x0000_0000, // illegal
    ]);
    assert_eq!(
        engine.run(&mut cpu, &mem),
        Exit::IllegalInstruction { bits: 0 }
    );
    assert_eq!(cpu.pc, CODE + 4);
    assert_eq!(cpu.x(10), 5);
}

#[test]
fn running_off_the_mapping_is_an_execute_fault() {
    let (mut engine, mut cpu, mem) = setup(&[0x0050_0513]);
    cpu.pc = CODE + 0x1000 - 4;
    mem.write_bytes_privileged(CODE + 0x1000 - 4, &0x0050_0513u32.to_le_bytes())
        .unwrap();
    let exit = engine.run(&mut cpu, &mem);
    assert_eq!(
        exit,
        Exit::MemoryFault(vm_memory::MemFault {
            addr: CODE + 0x1000,
            access: Access::Execute,
            kind: vm_memory::FaultKind::Unmapped
        })
    );
    assert_eq!(cpu.pc, CODE + 0x1000);
    assert_eq!(cpu.x(10), 5);
}

#[test]
fn a_32_bit_instruction_straddling_off_the_mapping_faults_at_its_second_half() {
    let (mut engine, mut cpu, mem) = setup(&[]);
    // The low parcel of `li a0, 5` (0x00500513) in the page's last two bytes.
    cpu.pc = CODE + 0x1000 - 2;
    mem.write_bytes_privileged(cpu.pc, &0x0513u16.to_le_bytes())
        .unwrap();
    let exit = engine.run(&mut cpu, &mem);
    assert_eq!(
        exit,
        Exit::MemoryFault(vm_memory::MemFault {
            addr: CODE + 0x1000,
            access: Access::Execute,
            kind: vm_memory::FaultKind::Unmapped
        })
    );
    assert_eq!(cpu.pc, CODE + 0x1000 - 2, "pc names the instruction");
}

#[test]
fn amo_updates_memory_and_rejects_misalignment() {
    let (mut engine, mut cpu, mem) = setup(&[
        0x00b6_252f, // amoadd.w a0, a1, (a2)
        ECALL,
    ]);
    mem.write_bytes(DATA, &(-5i32).to_le_bytes()).unwrap();
    cpu.set_x(11, 2);
    cpu.set_x(12, DATA);
    assert_eq!(engine.run(&mut cpu, &mem), Exit::Syscall);
    assert_eq!(cpu.x(10), (-5i64) as u64, "old value, sign-extended");
    assert_eq!(mem.read::<4>(DATA).unwrap(), (-3i32).to_le_bytes());
    cpu.pc = CODE;
    cpu.set_x(12, DATA + 2);
    assert_eq!(
        engine.run(&mut cpu, &mem),
        Exit::MisalignedAtomic { addr: DATA + 2 }
    );
}

#[test]
fn an_invalid_dynamic_rounding_mode_is_an_illegal_instruction() {
    let (mut engine, mut cpu, mem) = setup(&[
        0x0022_d073, // fsrmi 5
        0x0220_f053, // fadd.d ft0, ft1, ft2 (rm = dyn)
        ECALL,
    ]);
    assert_eq!(
        engine.run(&mut cpu, &mem),
        Exit::IllegalInstruction { bits: 0 }
    );
    assert_eq!(cpu.pc, CODE + 4);
    assert_eq!(cpu.frm(), 5);
}

#[test]
fn fence_i_discards_translations_of_rewritten_code() {
    let (mut engine, mut cpu, mem) = setup(&[
        0x0070_0513, // li a0, 7
        ECALL,
        0x0000_100f, // fence.i
        0x0000_0513, // li a0, 0  (target of the jump back)
    ]);
    assert_eq!(engine.run(&mut cpu, &mem), Exit::Syscall);
    assert_eq!(cpu.x(10), 7);
    // Rewrite the first instruction to `li a0, 9`, run fence.i, then re-run it.
    mem.write_bytes_privileged(CODE, &0x0090_0513u32.to_le_bytes())
        .unwrap();
    let flushes = engine.stats().flushes;
    cpu.pc = CODE + 8;
    mem.write_bytes_privileged(CODE + 12, &0xff5f_f06fu32.to_le_bytes())
        .unwrap(); // j -12
    assert_eq!(engine.run(&mut cpu, &mem), Exit::Syscall);
    assert_eq!(engine.stats().flushes, flushes + 1);
    assert_eq!(cpu.x(10), 9, "the new code ran, not the stale translation");
}

#[test]
fn the_interrupt_flag_stops_the_loop_at_a_block_boundary() {
    let (mut engine, mut cpu, mem) = setup(&[0x0000_006f]); // j . (infinite loop)
    engine
        .interrupt_flag()
        .store(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(engine.run(&mut cpu, &mem), Exit::Interrupted);
    assert_eq!(cpu.pc, CODE);
}

#[test]
fn a_fetch_fault_is_not_cached() {
    let (mut engine, mut cpu, mem) = setup(&[0x0070_0513, ECALL]); // li a0, 7
    mem.protect(CODE, 0x1000, Perm::RW).unwrap();
    let exit = engine.run(&mut cpu, &mem);
    assert!(
        matches!(exit, Exit::MemoryFault(f) if f.addr == CODE && f.access == Access::Execute),
        "{exit:?}"
    );
    // Made executable without a flush (as mprotect adding PROT_EXEC does): it runs.
    mem.protect(CODE, 0x1000, Perm::RX).unwrap();
    assert_eq!(engine.run(&mut cpu, &mem), Exit::Syscall);
    assert_eq!(cpu.x(10), 7);
}

#[test]
fn invalidating_a_range_drops_only_the_blocks_translated_from_it() {
    let (mut engine, mut cpu, mem) = setup(&[
        0x0070_0513, // li a0, 7
        ECALL,
        0x0030_0593, // li a1, 3
        ECALL,
    ]);
    let run_at = |engine: &mut Engine, cpu: &mut CpuState, pc| {
        cpu.pc = pc;
        assert_eq!(engine.run(cpu, &mem), Exit::Syscall);
    };
    run_at(&mut engine, &mut cpu, CODE);
    run_at(&mut engine, &mut cpu, CODE + 8);
    assert_eq!(engine.stats().blocks_translated, 2);
    mem.write_bytes_privileged(CODE, &0x0090_0513u32.to_le_bytes()) // li a0, 9
        .unwrap();
    engine.invalidate_code(CODE + 8 + 8, CODE + 0x1000);
    engine.invalidate_code(CODE, CODE + 1);
    assert_eq!(engine.cached_blocks(), 1);
    run_at(&mut engine, &mut cpu, CODE);
    assert_eq!(cpu.x(10), 9, "the new code ran");
    run_at(&mut engine, &mut cpu, CODE + 8);
    assert_eq!(
        engine.stats().blocks_translated,
        3,
        "the other block was kept"
    );
    assert_eq!(engine.stats().blocks_invalidated, 1);
    // A range far larger than the code (the index is walked, not the range).
    engine.invalidate_code(0, u64::MAX);
    assert_eq!(engine.cached_blocks(), 0);
    run_at(&mut engine, &mut cpu, CODE + 8);
    assert_eq!(engine.stats().blocks_translated, 4);
}

#[test]
fn a_block_across_a_page_boundary_is_found_from_either_page() {
    use crate::block_cache::BlockCache;
    let block = |start, len| vm_ir::IRBlock {
        start,
        len,
        ops: Vec::new(),
        insns: Vec::new(),
        exit: vm_ir::BlockExit::Jump { target: start },
    };
    let mut cache = BlockCache::default();
    cache.insert(block(0x1ff8, 16));
    cache.insert(block(0x2010, 4));
    assert_eq!(
        cache.invalidate(0x2004, 0x2008),
        1,
        "the tail, on the second page"
    );
    assert_eq!(cache.lookup(0x1ff8), None);
    assert!(cache.lookup(0x2010).is_some());
    // The freed slot is reused and indexed anew.
    let id = cache.insert(block(0x1ff8, 16));
    assert_eq!(cache.lookup(0x1ff8), Some(id));
    assert_eq!(
        cache.invalidate(0x1000, 0x1ffc),
        1,
        "the head, on the first page"
    );
    assert_eq!(
        cache.invalidate(0x1ff8, 0x2010),
        0,
        "already gone; 0x2010 is outside"
    );
    assert_eq!(cache.len(), 1);
}

#[test]
fn a_link_to_an_invalidated_block_is_not_followed() {
    let (mut engine, mut cpu, mem) = setup(&[
        0x0070_0513, // li a0, 7
        0x0040_006f, // j +4 (to the ecall: a second block, linked from the first)
        ECALL,
        ECALL,
    ]);
    for _ in 0..2 {
        cpu.pc = CODE;
        assert_eq!(engine.run(&mut cpu, &mem), Exit::Syscall);
        assert_eq!((cpu.x(10), cpu.pc), (7, CODE + 8));
    }
    assert_eq!(engine.stats().blocks_translated, 2);
    // The second block becomes `li a0, 9; ecall`: its translation goes, and the first
    // block's link to it must lead to the new one.
    let new_code: Vec<u8> = [0x0090_0513u32, ECALL]
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect();
    mem.write_bytes_privileged(CODE + 8, &new_code).unwrap();
    engine.invalidate_code(CODE + 8, CODE + 16);
    cpu.pc = CODE;
    assert_eq!(engine.run(&mut cpu, &mem), Exit::Syscall);
    assert_eq!((cpu.x(10), cpu.pc), (9, CODE + 12), "the new code ran");
    // Its slot taken by a block elsewhere, the link must not lead there either.
    engine.invalidate_code(CODE + 8, CODE + 16);
    cpu.pc = CODE + 12;
    assert_eq!(engine.run(&mut cpu, &mem), Exit::Syscall);
    cpu.pc = CODE;
    assert_eq!(engine.run(&mut cpu, &mem), Exit::Syscall);
    assert_eq!((cpu.x(10), cpu.pc), (9, CODE + 12));
    assert_eq!(engine.stats().blocks_translated, 5);
}

#[test]
fn a_breakpoint_stops_run_before_its_instruction_even_inside_a_cached_block() {
    let (mut engine, mut cpu, mem) = setup(&SUM_TO_TEN);
    // Translate the loop first, so the breakpoint falls inside a cached block.
    assert_eq!(engine.run(&mut cpu, &mem), Exit::Syscall);
    cpu = CpuState {
        pc: CODE,
        ..CpuState::default()
    };
    engine.set_breakpoints([CODE + 12]);
    assert_eq!(engine.run(&mut cpu, &mem), Exit::DebugBreakpoint);
    assert_eq!((cpu.pc, cpu.x(10), cpu.x(11)), (CODE + 12, 10, 10));
    // Stepping over the breakpoint runs one instruction; `run` then stops at it again
    // after one more iteration.
    assert_eq!(engine.step(&mut cpu, &mem), Exit::Stepped);
    assert_eq!((cpu.pc, cpu.x(11)), (CODE + 16, 9));
    assert_eq!(engine.run(&mut cpu, &mem), Exit::DebugBreakpoint);
    assert_eq!((cpu.pc, cpu.x(10), cpu.x(11)), (CODE + 12, 19, 9));
    assert_eq!(cpu.instret, 3 + 1 + 2, "li, li, add; addi; bnez, add");
    // Without breakpoints the loop runs to the system call.
    engine.set_breakpoints([]);
    assert_eq!(engine.run(&mut cpu, &mem), Exit::Syscall);
    assert_eq!(cpu.x(10), 55);
}

#[test]
fn a_step_reports_what_the_instruction_raised() {
    let (mut engine, mut cpu, mem) = setup(&[
        0x0000_3503, // ld a0, 0(zero)
    ]);
    assert!(matches!(engine.step(&mut cpu, &mem), Exit::MemoryFault(_)));
    assert_eq!((cpu.pc, cpu.instret), (CODE, 0));
    cpu.pc = CODE + 4;
    // Unwritten code is `0x0000`: an illegal instruction.
    assert!(matches!(
        engine.step(&mut cpu, &mem),
        Exit::IllegalInstruction { .. }
    ));
    let (mut engine, mut cpu, mem) = setup(&[ECALL]);
    assert_eq!(engine.step(&mut cpu, &mem), Exit::Syscall);
    assert_eq!(cpu.pc, CODE);
}

/// `a1 = DATA`, `a0 = 7`, then `sd a0, 8(a1)`, `ld a2, 8(a1)`, a system call.
const STORE_THEN_LOAD: [u32; 5] = [
    0x0002_05b7, // lui a1, 0x20
    0x0070_0513, // li a0, 7
    0x00a5_b423, // sd a0, 8(a1)
    0x0085_b603, // ld a2, 8(a1)
    ECALL,
];

fn watch(addr: u64, len: u64, kind: WatchKind) -> Watchpoint {
    Watchpoint { addr, len, kind }
}

#[test]
fn a_write_watchpoint_stops_before_the_store_and_a_step_makes_it() {
    let (mut engine, mut cpu, mem) = setup(&STORE_THEN_LOAD);
    let w = watch(DATA + 8, 8, WatchKind::Write);
    engine.set_watchpoints([w]);
    let hit = Exit::Watchpoint {
        addr: DATA + 8,
        kind: WatchKind::Write,
    };
    assert_eq!(engine.run(&mut cpu, &mem), hit);
    assert_eq!(cpu.pc, CODE + 8, "pc names the store");
    assert_eq!(cpu.instret, 2);
    assert_eq!(mem.read_u64(DATA + 8).unwrap(), 0, "nothing stored yet");
    assert_eq!(
        engine.run(&mut cpu, &mem),
        hit,
        "it stops again, as hardware does"
    );
    // What gdb does next: remove the watchpoint, step over the store, put it back.
    engine.set_watchpoints([]);
    assert_eq!(engine.step(&mut cpu, &mem), Exit::Stepped);
    assert_eq!(mem.read_u64(DATA + 8).unwrap(), 7);
    engine.set_watchpoints([w]);
    assert_eq!(
        engine.run(&mut cpu, &mem),
        Exit::Syscall,
        "the load is no write"
    );
    assert_eq!(cpu.x(12), 7);
    assert_eq!(cpu.instret, 5);
}

#[test]
fn a_read_watchpoint_ignores_the_store_and_stops_at_the_load() {
    let (mut engine, mut cpu, mem) = setup(&STORE_THEN_LOAD);
    engine.set_watchpoints([watch(DATA + 12, 2, WatchKind::Read)]);
    let exit = engine.run(&mut cpu, &mem);
    assert_eq!(
        exit,
        Exit::Watchpoint {
            addr: DATA + 12,
            kind: WatchKind::Read
        },
        "the first watched byte the load reads"
    );
    assert_eq!(cpu.pc, CODE + 12);
    assert_eq!(cpu.x(12), 0, "the load wrote nothing");
    assert_eq!(
        mem.read_u64(DATA + 8).unwrap(),
        7,
        "the store before it ran"
    );
}

#[test]
fn watchpoints_match_overlapping_bytes_only() {
    let (mut engine, mut cpu, mem) = setup(&STORE_THEN_LOAD);
    // Just either side of the 8 bytes the store and the load touch.
    engine.set_watchpoints([
        watch(DATA, 8, WatchKind::Access),
        watch(DATA + 16, 8, WatchKind::Access),
    ]);
    assert_eq!(engine.run(&mut cpu, &mem), Exit::Syscall);
    let (mut engine, mut cpu, mem) = setup(&STORE_THEN_LOAD);
    engine.set_watchpoints([watch(DATA + 4, 5, WatchKind::Access)]);
    assert_eq!(
        engine.run(&mut cpu, &mem),
        Exit::Watchpoint {
            addr: DATA + 8,
            kind: WatchKind::Access
        }
    );
    assert_eq!(cpu.pc, CODE + 8);
}

#[test]
fn atomics_and_fp_accesses_hit_watchpoints() {
    let program = [
        0x0002_05b7, // lui a1, 0x20
        0x00a5_b6af, // amoadd.d a3, a0, (a1)
        0x1005_b72f, // lr.d a4, (a1)
        0x18a5_b7af, // sc.d a5, a0, (a1)
        0x00a5_b827, // fsd fa0, 16(a1)
        0x0105_b587, // fld fa1, 16(a1)
        ECALL,
    ];
    // Each watchpoint, and the instructions it stops at in order.
    let cases = [
        (watch(DATA, 8, WatchKind::Write), vec![4, 12]),
        (watch(DATA, 8, WatchKind::Read), vec![4, 8]),
        (watch(DATA, 1, WatchKind::Access), vec![4, 8, 12]),
        (watch(DATA + 16, 8, WatchKind::Write), vec![16]),
        (watch(DATA + 20, 1, WatchKind::Read), vec![20]),
    ];
    for (w, stops) in cases {
        let (mut engine, mut cpu, mem) = setup(&program);
        engine.set_watchpoints([w]);
        let mut seen = Vec::new();
        loop {
            match engine.run(&mut cpu, &mem) {
                Exit::Watchpoint { kind, .. } => {
                    assert_eq!(kind, w.kind);
                    seen.push(cpu.pc - CODE);
                    engine.set_watchpoints([]);
                    assert_eq!(engine.step(&mut cpu, &mem), Exit::Stepped);
                    engine.set_watchpoints([w]);
                }
                Exit::Syscall => break,
                other => panic!("{w:?}: unexpected {other:?}"),
            }
        }
        assert_eq!(seen, stops, "{w:?}");
        assert_eq!(cpu.x(14), 0, "lr read the amo's result (0 + a0 = 0)");
        assert_eq!(cpu.x(15), 0, "sc succeeded after the step over lr");
    }
}

#[test]
fn a_step_stops_at_a_watchpoint_it_would_hit() {
    let (mut engine, mut cpu, mem) = setup(&STORE_THEN_LOAD);
    engine.set_watchpoints([watch(DATA + 8, 8, WatchKind::Write)]);
    assert_eq!(engine.step(&mut cpu, &mem), Exit::Stepped);
    assert_eq!(engine.step(&mut cpu, &mem), Exit::Stepped);
    assert_eq!(
        engine.step(&mut cpu, &mem),
        Exit::Watchpoint {
            addr: DATA + 8,
            kind: WatchKind::Write
        }
    );
    assert_eq!(cpu.pc, CODE + 8);
    assert_eq!(cpu.instret, 2);
}
