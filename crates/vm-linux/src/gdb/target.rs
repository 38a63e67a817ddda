//! What gdb is told about the target: its registers (a target description, and how
//! they travel in `g`/`p` packets) and the protocol's own signal numbers.

use vm_engine::cpu::{FFLAGS_MASK, FRM_SHIFT};
use vm_engine::CpuState;

/// ABI names of x0..x31, in order.
const X_NAMES: [&str; 32] = [
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3", "a4",
    "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
    "t5", "t6",
];

/// ABI names of f0..f31, in order.
const F_NAMES: [&str; 32] = [
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2",
    "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9",
    "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
];

/// Register numbers of the protocol, as gdb's own RISC-V numbering has them: x0..x31,
/// pc, f0..f31, then the FP CSRs at 65 + their CSR number.
pub const PC: usize = 32;
const FIRST_F: usize = 33;
const FFLAGS: usize = 66;
const FRM: usize = 67;
const FCSR: usize = 68;

/// The register numbers in `g` packet order, each with its size in bytes.
pub fn registers() -> impl Iterator<Item = (usize, usize)> {
    (0..=PC)
        .map(|r| (r, 8))
        .chain((FIRST_F..FIRST_F + 32).map(|r| (r, 8)))
        .chain([FFLAGS, FRM, FCSR].map(|r| (r, 4)))
}

/// The target description gdb reads as `target.xml`.
pub fn description() -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n\
         <target version=\"1.0\">\n<architecture>riscv:rv64</architecture>\n\
         <osabi>GNU/Linux</osabi>\n<feature name=\"org.gnu.gdb.riscv.cpu\">\n",
    );
    for (n, name) in X_NAMES.iter().enumerate() {
        let ty = match n {
            1 => "code_ptr",
            2 | 8 => "data_ptr",
            _ => "int",
        };
        xml += &format!("<reg name=\"{name}\" bitsize=\"64\" type=\"{ty}\" regnum=\"{n}\"/>\n");
    }
    xml += &format!("<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"{PC}\"/>\n");
    xml += "</feature>\n<feature name=\"org.gnu.gdb.riscv.fpu\">\n\
            <union id=\"riscv_double\"><field name=\"float\" type=\"ieee_single\"/>\
            <field name=\"double\" type=\"ieee_double\"/></union>\n";
    for (n, name) in F_NAMES.iter().enumerate() {
        xml += &format!(
            "<reg name=\"{name}\" bitsize=\"64\" type=\"riscv_double\" regnum=\"{}\"/>\n",
            FIRST_F + n
        );
    }
    for (name, n) in [("fflags", FFLAGS), ("frm", FRM), ("fcsr", FCSR)] {
        xml += &format!("<reg name=\"{name}\" bitsize=\"32\" type=\"int\" regnum=\"{n}\"/>\n");
    }
    xml += "</feature>\n</target>\n";
    xml
}

/// The value of register `n`, if it is one.
pub fn read(cpu: &CpuState, n: usize) -> Option<u64> {
    Some(match n {
        0..32 => cpu.x(n as u32),
        PC => cpu.pc,
        FIRST_F..=64 => cpu.f((n - FIRST_F) as u32),
        FFLAGS => u64::from(cpu.fcsr & FFLAGS_MASK),
        FRM => u64::from((cpu.fcsr >> FRM_SHIFT) & 7),
        FCSR => u64::from(cpu.fcsr & 0xff),
        _ => return None,
    })
}

/// Sets register `n`; false if there is no such register. Writes to x0 are dropped, and
/// the CSRs keep only their defined bits, as on hardware.
pub fn write(cpu: &mut CpuState, n: usize, v: u64) -> bool {
    let v32 = v as u32;
    match n {
        0..32 => cpu.set_x(n as u32, v),
        PC => cpu.pc = v,
        FIRST_F..=64 => cpu.set_f((n - FIRST_F) as u32, v),
        FFLAGS => cpu.fcsr = (cpu.fcsr & !FFLAGS_MASK) | (v32 & FFLAGS_MASK),
        FRM => cpu.fcsr = (cpu.fcsr & FFLAGS_MASK) | ((v32 & 7) << FRM_SHIFT),
        FCSR => cpu.fcsr = v32 & 0xff,
        _ => return false,
    }
    true
}

/// Linux signal `sig` as the protocol numbers it (gdb's own, BSD-derived numbering).
pub fn gdb_signal(sig: i32) -> u8 {
    match sig {
        1..=6 | 8 | 9 | 11 | 13..=15 | 21 | 22 | 24..=28 => sig as u8,
        7 => 10,  // SIGBUS
        10 => 30, // SIGUSR1
        12 => 31, // SIGUSR2
        17 => 20, // SIGCHLD
        18 => 19, // SIGCONT
        19 => 17, // SIGSTOP
        20 => 18, // SIGTSTP
        23 => 16, // SIGURG
        29 => 23, // SIGIO
        30 => 32, // SIGPWR
        31 => 12, // SIGSYS
        32 => 77,
        33..=63 => (sig + 12) as u8,
        64 => 78,
        _ => 143, // unknown (SIGSTKFLT has no number of its own)
    }
}

/// The Linux signal the protocol's number `n` names, if any.
pub fn linux_signal(n: u8) -> Option<i32> {
    (1..=64).find(|&sig| sig != 16 && gdb_signal(sig) == n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_map_both_ways() {
        assert_eq!(gdb_signal(libc::SIGSEGV), 11);
        assert_eq!(gdb_signal(libc::SIGBUS), 10);
        assert_eq!(gdb_signal(libc::SIGUSR1), 30);
        assert_eq!(gdb_signal(libc::SIGCHLD), 20);
        assert_eq!(gdb_signal(libc::SIGSYS), 12);
        assert_eq!(gdb_signal(34), 46);
        for sig in (1..=64).filter(|&s| s != 16) {
            assert_eq!(linux_signal(gdb_signal(sig)), Some(sig), "signal {sig}");
        }
        assert_eq!(linux_signal(7), None, "SIGEMT has no Linux counterpart");
    }

    #[test]
    fn registers_read_back_what_was_written() {
        let mut cpu = CpuState::default();
        for (n, _) in registers() {
            assert!(write(&mut cpu, n, 0x1234_5678_9abc_def0 + n as u64));
        }
        assert_eq!(read(&cpu, 0), Some(0), "x0 stays zero");
        assert_eq!(read(&cpu, 10), Some(0x1234_5678_9abc_def0 + 10));
        assert_eq!(read(&cpu, PC), Some(0x1234_5678_9abc_def0 + 32));
        assert_eq!(cpu.f(31), 0x1234_5678_9abc_def0 + 64);
        assert_eq!(read(&cpu, FCSR), Some((0xdef0 + 68) & 0xff));
        assert!(!write(&mut cpu, 65, 1));
        assert_eq!(read(&cpu, 69), None);
        assert_eq!(registers().count(), 68);
        let xml = description();
        assert_eq!(xml.matches("<reg ").count(), 68);
        assert!(xml.contains("name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"68\""));
    }
}
