//! Classic BPF programs as seccomp takes them: checked as Linux checks them when they
//! are installed (`bpf_check_classic`, then `seccomp_check_filter`), then run over a
//! `struct seccomp_data`.
//!
//! Invariants of a [`Program`] (established by [`Program::new`], relied on by
//! [`Program::run`], which therefore never fails and always ends):
//! - it has 1 to [`MAX_INSNS`] instructions and its last one returns;
//! - every jump goes forward and lands inside the program;
//! - every load from the data is an aligned 32-bit word inside `struct seccomp_data`;
//! - every scratch-memory slot is below [`MEMWORDS`] and written on every path before
//!   it is read; no constant divisor is zero, no constant shift 32 or more.

/// Most instructions one program may have (`BPF_MAXINSNS`).
pub const MAX_INSNS: usize = 4096;
/// Scratch-memory words (`BPF_MEMWORDS`).
pub const MEMWORDS: u32 = 16;
/// The size of `struct seccomp_data`.
pub const DATA_SIZE: u32 = 64;

/// One `struct sock_filter` as the guest wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Insn {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}

impl Insn {
    /// The 8 bytes of a `struct sock_filter` (little-endian, as riscv64 stores it).
    pub fn from_bytes(b: [u8; 8]) -> Insn {
        Insn {
            code: u16::from_le_bytes([b[0], b[1]]),
            jt: b[2],
            jf: b[3],
            k: u32::from_le_bytes([b[4], b[5], b[6], b[7]]),
        }
    }

    pub fn to_bytes(self) -> [u8; 8] {
        let mut b = [0u8; 8];
        b[..2].copy_from_slice(&self.code.to_le_bytes());
        b[2] = self.jt;
        b[3] = self.jf;
        b[4..].copy_from_slice(&self.k.to_le_bytes());
        b
    }
}

// Instruction classes, sizes, modes, operations and sources (`linux/bpf_common.h`).
const LD: u16 = 0x00;
const LDX: u16 = 0x01;
const ST: u16 = 0x02;
const STX: u16 = 0x03;
const ALU: u16 = 0x04;
const JMP: u16 = 0x05;
const RET: u16 = 0x06;
const MISC: u16 = 0x07;
const W: u16 = 0x00;
const H: u16 = 0x08;
const B: u16 = 0x10;
const IMM: u16 = 0x00;
const ABS: u16 = 0x20;
const IND: u16 = 0x40;
const MEM: u16 = 0x60;
const LEN: u16 = 0x80;
const MSH: u16 = 0xa0;
const ADD: u16 = 0x00;
const SUB: u16 = 0x10;
const MUL: u16 = 0x20;
const DIV: u16 = 0x30;
const OR: u16 = 0x40;
const AND: u16 = 0x50;
const LSH: u16 = 0x60;
const RSH: u16 = 0x70;
const NEG: u16 = 0x80;
const MOD: u16 = 0x90;
const XOR: u16 = 0xa0;
const JA: u16 = 0x00;
const JEQ: u16 = 0x10;
const JGT: u16 = 0x20;
const JGE: u16 = 0x30;
const JSET: u16 = 0x40;
const K: u16 = 0x00;
const X: u16 = 0x08;
const A_SRC: u16 = 0x10;
const TAX: u16 = 0x00;
const TXA: u16 = 0x80;

/// Start of the "ancillary data" offsets of socket filters (`SKF_AD_OFF`), which
/// `bpf_check_classic` refuses unless it knows them; seccomp refuses them all anyway.
const SKF_AD_OFF: u32 = (-0x1000i32) as u32;

/// The arithmetic operations seccomp allows (`MOD` is not one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AluOp {
    Add,
    Sub,
    Mul,
    Div,
    Or,
    And,
    Xor,
    Lsh,
    Rsh,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cond {
    Eq,
    Gt,
    Ge,
    Set,
}

/// A checked instruction, decoded for [`Program::run`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// `A = data[offset..offset + 4]` (a native-endian word).
    LdAbs(u32),
    LdImm(u32),
    LdxImm(u32),
    LdMem(u32),
    LdxMem(u32),
    St(u32),
    Stx(u32),
    Alu(AluOp, Option<u32>),
    Neg,
    Tax,
    Txa,
    Ja(u32),
    /// Condition, constant operand (None: X), skip if true, skip if false.
    Jump(Cond, Option<u32>, u8, u8),
    RetK(u32),
    RetA,
}

/// A program Linux would refuse to install (`EINVAL`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidProgram;

/// A checked seccomp filter program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    ops: Vec<Op>,
    /// The program as the guest gave it (for an exec, which hands it to the new VM).
    raw: Vec<Insn>,
}

/// Whether `bpf_check_classic` knows `code` at all (`chk_code_allowed`).
fn classic_code_allowed(code: u16) -> bool {
    let alu = |op: u16| [ALU | op | K, ALU | op | X];
    let jmp = |op: u16| [JMP | op | K, JMP | op | X];
    [ADD, SUB, MUL, DIV, MOD, AND, OR, XOR, LSH, RSH]
        .iter()
        .any(|&op| alu(op).contains(&code))
        || [JEQ, JGE, JGT, JSET]
            .iter()
            .any(|&op| jmp(op).contains(&code))
        || [
            ALU | NEG,
            LD | W | ABS,
            LD | H | ABS,
            LD | B | ABS,
            LD | W | LEN,
            LD | W | IND,
            LD | H | IND,
            LD | B | IND,
            LD | IMM,
            LD | MEM,
            LDX | W | LEN,
            LDX | B | MSH,
            LDX | IMM,
            LDX | MEM,
            ST,
            STX,
            MISC | TAX,
            MISC | TXA,
            RET | K,
            RET | A_SRC,
            JMP | JA,
        ]
        .contains(&code)
}

/// Linux's `bpf_check_classic`: codes it knows, no zero constant divisor, no constant
/// shift of 32 or more, scratch slots in range, jumps inside the program, a return last,
/// and every scratch slot stored before it is loaded.
fn check_classic(prog: &[Insn]) -> Result<(), ()> {
    let len = prog.len();
    for (pc, insn) in prog.iter().enumerate() {
        let k = insn.k;
        if !classic_code_allowed(insn.code) {
            return Err(());
        }
        let bad = match insn.code {
            c if c == ALU | DIV | K || c == ALU | MOD | K => k == 0,
            c if c == ALU | LSH | K || c == ALU | RSH | K => k >= 32,
            c if c == LD | MEM || c == LDX | MEM || c == ST || c == STX => k >= MEMWORDS,
            c if c == JMP | JA => k as u64 >= (len - pc - 1) as u64,
            c if c & 0x07 == JMP => {
                pc + insn.jt as usize + 1 >= len || pc + insn.jf as usize + 1 >= len
            }
            c if c == LD | W | ABS || c == LD | H | ABS || c == LD | B | ABS => k >= SKF_AD_OFF,
            _ => false,
        };
        if bad {
            return Err(());
        }
    }
    let last = prog.last().ok_or(())?.code;
    if last != RET | K && last != RET | A_SRC {
        return Err(());
    }
    check_loads_after_stores(prog)
}

/// Linux's `check_load_and_stores`: along every path a scratch slot is stored before it
/// is loaded (one bit per slot; a jump target keeps the slots valid on all its paths).
fn check_loads_after_stores(prog: &[Insn]) -> Result<(), ()> {
    let mut masks = vec![u16::MAX; prog.len()];
    let mut valid = 0u16;
    for (pc, insn) in prog.iter().enumerate() {
        valid &= masks[pc];
        match insn.code {
            c if c == ST || c == STX => valid |= 1 << insn.k,
            c if (c == LD | MEM || c == LDX | MEM) && valid & (1 << insn.k) == 0 => {
                return Err(());
            }
            c if c == JMP | JA => {
                masks[pc + 1 + insn.k as usize] &= valid;
                valid = u16::MAX;
            }
            c if c & 0x07 == JMP => {
                masks[pc + 1 + insn.jt as usize] &= valid;
                masks[pc + 1 + insn.jf as usize] &= valid;
                valid = u16::MAX;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Linux's `seccomp_check_filter`: the subset of classic BPF seccomp runs, decoded.
/// Loads from the packet are word loads at aligned offsets inside `seccomp_data`; a
/// "packet length" load is the size of `seccomp_data`.
fn decode(insn: Insn) -> Option<Op> {
    let k = insn.k;
    let src = |code: u16| (code & X == 0).then_some(k);
    let op = match insn.code {
        c if c == LD | W | ABS => {
            if k >= DATA_SIZE || k & 3 != 0 {
                return None;
            }
            Op::LdAbs(k)
        }
        c if c == LD | W | LEN => Op::LdImm(DATA_SIZE),
        c if c == LDX | W | LEN => Op::LdxImm(DATA_SIZE),
        c if c == RET | K => Op::RetK(k),
        c if c == RET | A_SRC => Op::RetA,
        c if c & 0x07 == ALU && c & !(0xf0 | X) == ALU => {
            let op = match c & 0xf0 {
                ADD => AluOp::Add,
                SUB => AluOp::Sub,
                MUL => AluOp::Mul,
                DIV => AluOp::Div,
                AND => AluOp::And,
                OR => AluOp::Or,
                XOR => AluOp::Xor,
                LSH => AluOp::Lsh,
                RSH => AluOp::Rsh,
                NEG if c == ALU | NEG => return Some(Op::Neg),
                _ => return None,
            };
            Op::Alu(op, src(c))
        }
        c if c == LD | IMM => Op::LdImm(k),
        c if c == LDX | IMM => Op::LdxImm(k),
        c if c == MISC | TAX => Op::Tax,
        c if c == MISC | TXA => Op::Txa,
        c if c == LD | MEM => Op::LdMem(k),
        c if c == LDX | MEM => Op::LdxMem(k),
        c if c == ST => Op::St(k),
        c if c == STX => Op::Stx(k),
        c if c == JMP | JA => Op::Ja(k),
        c if c & 0x07 == JMP && c & !(0xf0 | X) == JMP => {
            let cond = match c & 0xf0 {
                JEQ => Cond::Eq,
                JGT => Cond::Gt,
                JGE => Cond::Ge,
                JSET => Cond::Set,
                _ => return None,
            };
            Op::Jump(cond, src(c), insn.jt, insn.jf)
        }
        _ => return None,
    };
    Some(op)
}

impl Program {
    /// Checks `raw` as Linux does when a filter is installed (`EINVAL` for every
    /// refusal; the length is checked by the caller, before permissions).
    pub fn new(raw: Vec<Insn>) -> Result<Program, InvalidProgram> {
        if raw.is_empty() || raw.len() > MAX_INSNS {
            return Err(InvalidProgram);
        }
        check_classic(&raw).map_err(|()| InvalidProgram)?;
        let ops = raw.iter().map(|&i| decode(i)).collect::<Option<Vec<_>>>();
        let ops = ops.ok_or(InvalidProgram)?;
        Ok(Program { ops, raw })
    }

    /// The instructions as the guest gave them.
    pub fn raw(&self) -> &[Insn] {
        &self.raw
    }

    pub fn insn_count(&self) -> usize {
        self.ops.len()
    }

    /// Runs the program over `data` (a `struct seccomp_data`); its return value.
    pub fn run(&self, data: &[u8; DATA_SIZE as usize]) -> u32 {
        let (mut a, mut x) = (0u32, 0u32);
        let mut mem = [0u32; MEMWORDS as usize];
        let mut pc = 0usize;
        loop {
            // In range: every jump lands inside and the last instruction returns.
            let op = self.ops[pc];
            pc += 1;
            match op {
                Op::LdAbs(off) => {
                    let off = off as usize;
                    a = u32::from_le_bytes(data[off..off + 4].try_into().expect("4 bytes"));
                }
                Op::LdImm(k) => a = k,
                Op::LdxImm(k) => x = k,
                Op::LdMem(i) => a = mem[i as usize],
                Op::LdxMem(i) => x = mem[i as usize],
                Op::St(i) => mem[i as usize] = a,
                Op::Stx(i) => mem[i as usize] = x,
                Op::Alu(op, k) => {
                    let v = k.unwrap_or(x);
                    a = match op {
                        AluOp::Add => a.wrapping_add(v),
                        AluOp::Sub => a.wrapping_sub(v),
                        AluOp::Mul => a.wrapping_mul(v),
                        // Linux's translation of classic BPF ends the program with 0 on
                        // a division by a zero X (constant divisors are never zero).
                        AluOp::Div if v == 0 => return 0,
                        AluOp::Div => a / v,
                        AluOp::Or => a | v,
                        AluOp::And => a & v,
                        AluOp::Xor => a ^ v,
                        // eBPF's 32-bit shifts take the amount modulo 32.
                        AluOp::Lsh => a.wrapping_shl(v),
                        AluOp::Rsh => a.wrapping_shr(v),
                    }
                }
                Op::Neg => a = a.wrapping_neg(),
                Op::Tax => x = a,
                Op::Txa => a = x,
                Op::Ja(k) => pc += k as usize,
                Op::Jump(cond, k, jt, jf) => {
                    let v = k.unwrap_or(x);
                    let taken = match cond {
                        Cond::Eq => a == v,
                        Cond::Gt => a > v,
                        Cond::Ge => a >= v,
                        Cond::Set => a & v != 0,
                    };
                    pc += if taken { jt } else { jf } as usize;
                }
                Op::RetK(k) => return k,
                Op::RetA => return a,
            }
        }
    }
}

/// Instruction codes for tests and for building programs by hand.
#[cfg(test)]
pub mod codes {
    pub const LD_W_ABS: u16 = super::LD | super::W | super::ABS;
    pub const LD_B_ABS: u16 = super::LD | super::B | super::ABS;
    pub const LD_MEM: u16 = super::LD | super::MEM;
    pub const ST: u16 = super::ST;
    pub const JEQ_K: u16 = super::JMP | super::JEQ | super::K;
    pub const JA: u16 = super::JMP | super::JA;
    pub const RET_K: u16 = super::RET | super::K;
    pub const RET_A: u16 = super::RET | super::A_SRC;
    pub const ALU_DIV_X: u16 = super::ALU | super::DIV | super::X;
    pub const ALU_DIV_K: u16 = super::ALU | super::DIV | super::K;
    pub const ALU_MOD_K: u16 = super::ALU | super::MOD | super::K;
    pub const ALU_LSH_K: u16 = super::ALU | super::LSH | super::K;
    pub const LD_W_LEN: u16 = super::LD | super::W | super::LEN;
    pub const LD_IND: u16 = super::LD | super::W | super::IND;
}
