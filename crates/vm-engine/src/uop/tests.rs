//! The pre-decoded form must mean exactly what the IR means: every specialised op, run on
//! awkward operands, is compared with the generic interpreter (`interp::exec_op`) running
//! the same IR op, including the traps it raises and what it leaves in memory.

use super::*;
use crate::interp::BlockEnd;
use vm_ir::{xreg, BlockExit, Cond, FpFmt, FpOp, InsnMark, Rounding};
use vm_memory::{Perm, RegionKind};

const DATA: u64 = 0x40000;
/// A page mapped right after `DATA`'s, so that accesses may straddle the two.
const PAGES: u64 = 2;
const UNMAPPED: u64 = DATA + PAGES * 0x1000;

const VALUES: [u64; 10] = [
    0,
    1,
    u64::MAX,
    i64::MIN as u64,
    i64::MAX as u64,
    0x8000_0000,
    0x7fff_ffff,
    0xffff_ffff,
    0x1234_5678_9abc_def0,
    63,
];
const IMMS: [i64; 8] = [0, 1, -1, 31, 63, 2047, -2048, 0x7ff0];

fn one_op_block(op: Op) -> IRBlock {
    IRBlock {
        start: 0x10000,
        len: 4,
        ops: vec![op],
        insns: vec![InsnMark {
            first_op: 0,
            pc: 0x10000,
        }],
        exit: BlockExit::Jump { target: 0x10004 },
    }
}

struct Bench {
    mem: GuestMemory,
}

impl Bench {
    fn new() -> Bench {
        let mem = GuestMemory::new().unwrap();
        mem.map_fixed(DATA, PAGES * 0x1000, Perm::RW, RegionKind::Anonymous)
            .unwrap();
        Bench { mem }
    }

    fn fill(&self) {
        let bytes: Vec<u8> = (0..PAGES * 0x1000).map(|i| (i * 7 + 0x81) as u8).collect();
        self.mem.write_bytes_privileged(DATA, &bytes).unwrap();
    }

    fn contents(&self) -> Vec<u8> {
        let mut out = vec![0; (PAGES * 0x1000) as usize];
        self.mem.read_bytes(DATA, &mut out).unwrap();
        out
    }

    /// Runs `block` from `cpu` through `uops`: the block's end, the registers, fcsr and
    /// instret after it, and the data pages.
    fn run(
        &self,
        block: &IRBlock,
        uops: &[Uop],
        cpu: &CpuState,
    ) -> (String, Vec<u64>, u32, u64, Vec<u8>) {
        self.fill();
        let mut cpu = cpu.clone();
        let end = run_block::<false>(block, uops, &mut cpu, &self.mem, &[]);
        let end = match end {
            BlockEnd::Next(pc) => format!("next {pc:#x}"),
            BlockEnd::FlushThen(pc) => format!("flush then {pc:#x}"),
            BlockEnd::Exit(exit) => format!("exit {exit:?} at {:#x}", cpu.pc),
        };
        (
            end,
            cpu.regs.to_vec(),
            cpu.fcsr,
            cpu.instret,
            self.contents(),
        )
    }

    /// Checks that the specialised form of `op` matches the generic interpreter on the
    /// register values `a` and `b` (in x5 and x6).
    fn check(&self, op: Op, a: u64, b: u64) {
        let block = one_op_block(op);
        let mut cpu = CpuState::default();
        cpu.regs[5] = a;
        cpu.regs[6] = b;
        cpu.regs[7] = 0x5555_aaaa_5555_aaaa;
        self.check_block(&block, &cpu);
    }

    /// Checks that the specialised form of `block` matches the generic interpreter
    /// (every op `Other`, the exit `ExitOther`) when run from `cpu`.
    fn check_block(&self, block: &IRBlock, cpu: &CpuState) {
        let fast = compile(block);
        let (last, ops) = fast.split_last().unwrap();
        let generic: Vec<Uop> = ops
            .iter()
            .map(|u| Uop {
                kind: Kind::Other,
                ..*u
            })
            .chain([Uop {
                kind: Kind::ExitOther,
                ..*last
            }])
            .collect();
        assert_eq!(
            self.run(block, &fast, cpu),
            self.run(block, &generic, cpu),
            "{block:?} from {:x?} (compiled to {fast:?})",
            &cpu.regs[5..8]
        );
    }
}

fn bin_ops() -> Vec<BinOp> {
    BIN_OPS.to_vec()
}

#[test]
fn every_register_operation_matches_the_ir() {
    let bench = Bench::new();
    for op in bin_ops() {
        for &a in &VALUES {
            for &b in &VALUES {
                for (sa, sb) in [(5, 6), (0, 6), (5, 0), (5, 5)] {
                    let ir = Op::Bin {
                        op,
                        dst: xreg(7),
                        a: xreg(sa),
                        b: xreg(sb),
                    };
                    bench.check(ir, a, b);
                }
            }
        }
    }
}

#[test]
fn every_immediate_operation_matches_the_ir() {
    let bench = Bench::new();
    for op in bin_ops() {
        for &a in &VALUES {
            for &imm in &IMMS {
                for sa in [5, 0] {
                    let ir = Op::BinImm {
                        op,
                        dst: xreg(7),
                        a: xreg(sa),
                        imm,
                    };
                    bench.check(ir, a, 0);
                }
            }
        }
    }
}

#[test]
fn every_unary_operation_matches_the_ir() {
    let bench = Bench::new();
    for &op in UN_OPS {
        for &a in &VALUES {
            let ir = Op::Un {
                op,
                dst: xreg(7),
                a: xreg(5),
            };
            bench.check(ir, a, 0);
        }
    }
}

#[test]
fn constants_and_moves_match_the_ir() {
    let bench = Bench::new();
    for &v in &VALUES {
        bench.check(
            Op::Const {
                dst: xreg(7),
                imm: v,
            },
            0,
            0,
        );
        bench.check(
            Op::Mov {
                dst: xreg(7),
                src: xreg(5),
            },
            v,
            0,
        );
    }
}

/// Addresses inside a page, at the end of the mapping (straddling into unmapped memory),
/// across the two mapped pages, unmapped, and beyond the guest address space.
fn addresses() -> Vec<u64> {
    vec![
        DATA,
        DATA + 0x123,
        DATA + 0xffd,
        DATA + 0x1ffd,
        DATA + PAGES * 0x1000 - 8,
        UNMAPPED,
        UNMAPPED - 2,
        0,
        u64::MAX - 3,
        vm_memory::GUEST_SPACE - 4,
    ]
}

#[test]
fn every_load_matches_the_ir_including_its_faults() {
    let bench = Bench::new();
    for width in [Width::B1, Width::B2, Width::B4, Width::B8] {
        for signed in [false, true] {
            for base in addresses() {
                for offset in [0, 5, -8] {
                    let ir = Op::Load {
                        width,
                        signed,
                        dst: xreg(7),
                        base: xreg(5),
                        offset,
                    };
                    bench.check(ir, base.wrapping_sub(offset as i64 as u64), 0);
                }
            }
        }
    }
}

#[test]
fn every_store_matches_the_ir_including_its_faults() {
    let bench = Bench::new();
    for width in [Width::B1, Width::B2, Width::B4, Width::B8] {
        for base in addresses() {
            for offset in [0, 3, -16] {
                let ir = Op::Store {
                    width,
                    src: xreg(6),
                    base: xreg(5),
                    offset,
                };
                bench.check(
                    ir,
                    base.wrapping_sub(offset as i64 as u64),
                    0xfedc_ba98_7654_3210,
                );
            }
        }
    }
}

#[test]
fn every_fp_arithmetic_op_matches_the_ir() {
    let bench = Bench::new();
    let ops = [
        FpOp::Add,
        FpOp::Sub,
        FpOp::Mul,
        FpOp::Div,
        FpOp::Sqrt,
        FpOp::MulAdd,
        FpOp::MulSub,
        FpOp::NegMulSub,
        FpOp::NegMulAdd,
    ];
    let rms = [
        Rounding::Rne,
        Rounding::Rtz,
        Rounding::Rdn,
        Rounding::Rup,
        Rounding::Rmm,
        Rounding::Dyn,
    ];
    let doubles = [
        1.5f64,
        -2.25,
        0.1,
        3.0,
        0.0,
        -0.0,
        1e308,
        f64::MIN_POSITIVE,
        f64::NAN,
    ];
    let singles = [
        1.5f32,
        -2.25,
        0.1,
        3.0,
        -0.0,
        3e38,
        f32::MIN_POSITIVE,
        f32::INFINITY,
    ];
    // Half precision has no specialised kinds: it runs through the generic interpreter.
    for fmt in [FpFmt::D, FpFmt::S] {
        let values: Vec<u64> = match fmt {
            FpFmt::D => doubles.iter().map(|v| v.to_bits()).collect(),
            FpFmt::S => singles
                .iter()
                .map(|v| 0xffff_ffff_0000_0000 | u64::from(v.to_bits()))
                .collect(),
            FpFmt::H => unreachable!("not specialised"),
        };
        for op in ops {
            for rm in rms {
                let ir = Op::Fp {
                    op,
                    fmt,
                    rm,
                    dst: xreg(10),
                    a: xreg(5),
                    b: xreg(6),
                    c: xreg(7),
                };
                assert_ne!(compile(&one_op_block(ir))[0].kind, Kind::Other, "{ir:?}");
                for (i, &a) in values.iter().enumerate() {
                    for &b in &values {
                        let mut cpu = CpuState::default();
                        cpu.regs[5] = a;
                        cpu.regs[6] = b;
                        cpu.regs[7] = values[(i + 3) % values.len()];
                        // Flags already raised or not, and every `frm` (5 and 6 are
                        // invalid: a dynamic rounding mode then traps).
                        cpu.fcsr = ((i as u32 % 8) << 5) | (i as u32 % 3);
                        bench.check_block(&one_op_block(ir), &cpu);
                    }
                }
            }
        }
    }
}

#[test]
fn ops_left_to_the_generic_interpreter_still_run() {
    let bench = Bench::new();
    let fmin = Op::Fp {
        op: FpOp::Min,
        fmt: FpFmt::D,
        rm: Rounding::Rne,
        dst: xreg(7),
        a: xreg(5),
        b: xreg(6),
        c: 0,
    };
    assert_eq!(compile(&one_op_block(fmin))[0].kind, Kind::Other);
    bench.check(fmin, 1.5f64.to_bits(), 2.25f64.to_bits());
    let amo = Op::Amo {
        op: vm_ir::AmoOp::Add,
        width: Width::B8,
        dst: xreg(7),
        addr: xreg(5),
        src: xreg(6),
    };
    bench.check(amo, DATA + 8, 5);
    bench.check(amo, DATA + 4, 5);
    bench.check(amo, UNMAPPED, 5);
}

#[test]
fn every_block_exit_matches_the_ir() {
    let bench = Bench::new();
    let nop = Op::BinImm {
        op: BinOp::Add,
        dst: xreg(7),
        a: xreg(7),
        imm: 1,
    };
    let block_with = |exit, insns: usize| IRBlock {
        start: 0x10000,
        len: 4 * insns as u32,
        ops: vec![nop; insns - 1],
        insns: (0..insns)
            .map(|i| InsnMark {
                first_op: i as u32,
                pc: 0x10000 + 4 * i as u64,
            })
            .collect(),
        exit,
    };
    let (taken, after) = (0x9000, 0x10000 + 4 * 3);
    let mut exits = vec![
        BlockExit::Jump { target: 0x8000 },
        BlockExit::JumpIndirect { target: xreg(5) },
        BlockExit::Syscall { pc: after - 4 },
        BlockExit::Breakpoint { pc: after - 4 },
        BlockExit::FenceI { next: after },
        // A branch whose fall-through is not the block's end (none is made so today).
        BlockExit::Branch {
            cond: Cond::Eq,
            a: xreg(5),
            b: xreg(6),
            taken,
            not_taken: 0x7000,
        },
    ];
    for cond in [Cond::Eq, Cond::Ne, Cond::Lt, Cond::Ge, Cond::LtU, Cond::GeU] {
        exits.push(BlockExit::Branch {
            cond,
            a: xreg(5),
            b: xreg(6),
            taken,
            not_taken: after,
        });
    }
    for exit in exits {
        for &a in &VALUES {
            for &b in &VALUES[..4] {
                let mut cpu = CpuState::default();
                cpu.regs[5] = a;
                cpu.regs[6] = b;
                cpu.instret = 100;
                bench.check_block(&block_with(exit, 3), &cpu);
            }
        }
    }
    let kind = |exit| compile(&block_with(exit, 3))[2].kind;
    assert_eq!(kind(BlockExit::Jump { target: 0x8000 }), Kind::ExitJump);
    assert_eq!(kind(exits_branch(Cond::GeU, after)), Kind::ExitGeU);
    assert_eq!(kind(exits_branch(Cond::GeU, 0x7000)), Kind::ExitOther);
    assert_eq!(kind(BlockExit::Syscall { pc: after - 4 }), Kind::ExitOther);
}

fn exits_branch(cond: Cond, not_taken: u64) -> BlockExit {
    BlockExit::Branch {
        cond,
        a: xreg(5),
        b: xreg(6),
        taken: 0x9000,
        not_taken,
    }
}

#[test]
fn the_common_instructions_compile_to_single_dispatch_kinds() {
    let kind = |op| compile(&one_op_block(op))[0].kind;
    let (dst, a, b) = (xreg(7), xreg(5), xreg(6));
    assert_eq!(
        kind(Op::Bin {
            op: BinOp::Add,
            dst,
            a,
            b
        }),
        Kind::Add
    );
    assert_eq!(
        kind(Op::BinImm {
            op: BinOp::AddW,
            dst,
            a,
            imm: 3
        }),
        Kind::AddWImm
    );
    // `mv` and `li` in their `addi` and `add` spellings.
    assert_eq!(
        kind(Op::BinImm {
            op: BinOp::Add,
            dst,
            a,
            imm: 0
        }),
        Kind::Mov
    );
    assert_eq!(
        kind(Op::BinImm {
            op: BinOp::Add,
            dst,
            a: 0,
            imm: 9
        }),
        Kind::Const
    );
    assert_eq!(
        kind(Op::Bin {
            op: BinOp::Add,
            dst,
            a: 0,
            b
        }),
        Kind::Mov
    );
    assert_eq!(
        kind(Op::Bin {
            op: BinOp::Sub,
            dst,
            a: 0,
            b
        }),
        Kind::Sub
    );
    let load = |width, signed| Op::Load {
        width,
        signed,
        dst,
        base: a,
        offset: 8,
    };
    assert_eq!(kind(load(Width::B4, true)), Kind::Lw);
    assert_eq!(kind(load(Width::B4, false)), Kind::Lwu);
    assert_eq!(kind(load(Width::B1, false)), Kind::Lbu);
}
