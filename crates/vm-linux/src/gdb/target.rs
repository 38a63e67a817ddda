//! What gdb is told about the target: its registers (a target description, and how
//! they travel in `g`/`p` packets) and the protocol's own signal numbers.
//!
//! Registers carry gdb's own RISC-V numbers, so gdb's numbering and the protocol's are
//! one: the vector CSRs sit in the `org.gnu.gdb.riscv.csr` feature at 65 + their CSR
//! number, XLEN bits wide, and v0..v31 in `org.gnu.gdb.riscv.vector` at 4162.., each a
//! union of element views of its VLENB bytes named as qemu names them (gdb takes VLEN
//! from their size). The `g` packet holds every register in ascending number, as gdb
//! lays it out from the description.

use vm_engine::cpu::{FFLAGS_MASK, FRM_SHIFT};
use vm_engine::CpuState;
use vm_ir::Csr;

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
/// pc, f0..f31, the CSRs at 65 + their CSR number (`priv` would be 4161), then v0..v31.
pub const PC: usize = 32;
const FIRST_F: usize = 33;
const FIRST_CSR: usize = 65;
const FFLAGS: usize = FIRST_CSR + 0x001;
const FRM: usize = FIRST_CSR + 0x002;
const FCSR: usize = FIRST_CSR + 0x003;
/// The vector CSRs, in CSR-number order: vstart, vxsat, vxrm, vcsr, vl, vtype, vlenb.
const VECTOR_CSRS: [(&str, u32); 7] = [
    ("vstart", 0x008),
    ("vxsat", 0x009),
    ("vxrm", 0x00a),
    ("vcsr", 0x00f),
    ("vl", 0xc20),
    ("vtype", 0xc21),
    ("vlenb", 0xc22),
];
/// v0, numbered as gdb's `RISCV_V0_REGNUM` (after the last CSR, 4160, and `priv`).
const FIRST_V: usize = 4162;
const LAST_V: usize = FIRST_V + 31;
/// Bytes in a vector register.
const VLENB: usize = vm_vector::VLENB;

/// The vector CSR gdb numbers `n`, if it is one.
fn vector_csr(n: usize) -> Option<Csr> {
    let number = u32::try_from(n.checked_sub(FIRST_CSR)?).ok()?;
    VECTOR_CSRS
        .iter()
        .any(|&(_, csr)| csr == number)
        .then(|| Csr::from_number(number))
        .flatten()
}

/// The register numbers in `g` packet order (ascending, as gdb lays the packet out from
/// the description), each with its size in bytes.
pub fn registers() -> impl Iterator<Item = (usize, usize)> {
    (0..=PC)
        .map(|r| (r, 8))
        .chain((FIRST_F..FIRST_F + 32).map(|r| (r, 8)))
        .chain([FFLAGS, FRM, FCSR].map(|r| (r, 4)))
        .chain(VECTOR_CSRS.map(|(_, csr)| (FIRST_CSR + csr as usize, 8)))
        .chain((FIRST_V..=LAST_V).map(|r| (r, VLENB)))
}

/// The size in bytes of register `n`, if it is one.
pub fn size(n: usize) -> Option<usize> {
    registers().find(|&(r, _)| r == n).map(|(_, size)| size)
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
    xml += "</feature>\n<feature name=\"org.gnu.gdb.riscv.csr\">\n";
    for (name, csr) in VECTOR_CSRS {
        let n = FIRST_CSR + csr as usize;
        xml += &format!("<reg name=\"{name}\" bitsize=\"64\" type=\"int\" regnum=\"{n}\"/>\n");
    }
    xml += "</feature>\n";
    xml += &vector_feature();
    xml += "</target>\n";
    xml
}

/// The vector registers' feature: each register a union of the ways to see its VLENB
/// bytes (one 128-bit quad, 64-bit longs, 32-bit words, 16-bit shorts, bytes), named
/// as qemu's stub names them, in the `vector` group.
fn vector_feature() -> String {
    let bits = VLENB * 8;
    let mut xml = String::from("<feature name=\"org.gnu.gdb.riscv.vector\">\n");
    let views = [
        ("quads", "uint128", 128, "q"),
        ("longs", "uint64", 64, "l"),
        ("words", "uint32", 32, "w"),
        ("shorts", "uint16", 16, "s"),
        ("bytes", "uint8", 8, "b"),
    ];
    for (id, element, element_bits, _) in views {
        let count = bits / element_bits;
        xml += &format!("<vector id=\"{id}\" type=\"{element}\" count=\"{count}\"/>\n");
    }
    xml += "<union id=\"riscv_vector\">";
    for (id, _, _, field) in views {
        xml += &format!("<field name=\"{field}\" type=\"{id}\"/>");
    }
    xml += "</union>\n";
    for v in 0..32 {
        xml += &format!(
            "<reg name=\"v{v}\" bitsize=\"{bits}\" type=\"riscv_vector\" regnum=\"{}\" \
             group=\"vector\"/>\n",
            FIRST_V + v
        );
    }
    xml += "</feature>\n";
    xml
}

/// The value of register `n` (little-endian, [`size`] bytes), if it is one.
pub fn read(cpu: &CpuState, n: usize) -> Option<Vec<u8>> {
    let size = size(n)?;
    if (FIRST_V..=LAST_V).contains(&n) {
        let at = (n - FIRST_V) * VLENB;
        return cpu.vector.regs.get(at..at + VLENB).map(<[u8]>::to_vec);
    }
    let value = match n {
        0..32 => cpu.x(n as u32),
        PC => cpu.pc,
        FIRST_F..=64 => cpu.f((n - FIRST_F) as u32),
        FFLAGS => u64::from(cpu.fcsr & FFLAGS_MASK),
        FRM => u64::from((cpu.fcsr >> FRM_SHIFT) & 7),
        FCSR => u64::from(cpu.fcsr & 0xff),
        _ => vm_vector::read_csr(&cpu.vector, vector_csr(n)?)?,
    };
    Some(value.to_le_bytes()[..size].to_vec())
}

/// Sets register `n` to the little-endian `bytes` (zero-extended to its size); false if
/// there is no such register or the value does not fit it. Writes to x0 are dropped, the
/// CSRs keep only their defined bits, as on hardware, and the read-only vector CSRs (vl,
/// vtype, vlenb) keep their values, the write accepted and ignored as qemu's stub does.
pub fn write(cpu: &mut CpuState, n: usize, bytes: &[u8]) -> bool {
    let Some(size) = size(n) else {
        return false;
    };
    if bytes.len() > size {
        return false;
    }
    if (FIRST_V..=LAST_V).contains(&n) {
        let at = (n - FIRST_V) * VLENB;
        if let Some(reg) = cpu.vector.regs.get_mut(at..at + VLENB) {
            reg.fill(0);
            reg[..bytes.len()].copy_from_slice(bytes);
        }
        return true;
    }
    let mut value = [0u8; 8];
    value[..bytes.len()].copy_from_slice(bytes);
    let v = u64::from_le_bytes(value);
    let v32 = v as u32;
    match n {
        0..32 => cpu.set_x(n as u32, v),
        PC => cpu.pc = v,
        FIRST_F..=64 => cpu.set_f((n - FIRST_F) as u32, v),
        FFLAGS => cpu.fcsr = (cpu.fcsr & !FFLAGS_MASK) | (v32 & FFLAGS_MASK),
        FRM => cpu.fcsr = (cpu.fcsr & FFLAGS_MASK) | ((v32 & 7) << FRM_SHIFT),
        FCSR => cpu.fcsr = v32 & 0xff,
        _ => {
            let Some(csr) = vector_csr(n) else {
                return false;
            };
            if csr.is_writable() {
                vm_vector::write_csr(&mut cpu.vector, csr, v);
            }
        }
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
        for (n, size) in registers() {
            let value: Vec<u8> = (0..size).map(|i| (n + i) as u8 | 0x80).collect();
            assert!(write(&mut cpu, n, &value), "register {n}");
        }
        assert_eq!(read(&cpu, 0), Some(vec![0; 8]), "x0 stays zero");
        assert_eq!(cpu.x(10), 0x9190_8f8e_8d8c_8b8a);
        assert_eq!(read(&cpu, PC).map(|b| b[0]), Some(0xa0));
        assert_eq!(read(&cpu, FCSR), Some(vec![0xc4, 0, 0, 0]));
        assert!(!write(&mut cpu, FIRST_CSR, &[1]), "no CSR 0");
        assert!(!write(&mut cpu, FCSR, &[0; 5]), "too long for fcsr");
        assert_eq!(read(&cpu, 69), None);
        assert_eq!(registers().count(), 68 + 7 + 32);
        let xml = description();
        assert_eq!(xml.matches("<reg ").count(), 68 + 7 + 32);
        assert!(xml.contains("name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"68\""));
    }

    #[test]
    fn vector_registers_are_numbered_as_gdb_numbers_them() {
        let xml = description();
        for (name, n) in [
            ("vstart", 73),
            ("vxsat", 74),
            ("vxrm", 75),
            ("vcsr", 80),
            ("vl", 3169),
            ("vtype", 3170),
            ("vlenb", 3171),
        ] {
            let reg = format!("name=\"{name}\" bitsize=\"64\" type=\"int\" regnum=\"{n}\"");
            assert!(xml.contains(&reg), "{reg}");
        }
        assert!(xml.contains(
            "<reg name=\"v0\" bitsize=\"128\" type=\"riscv_vector\" regnum=\"4162\" \
             group=\"vector\"/>"
        ));
        assert!(xml.contains("name=\"v31\" bitsize=\"128\" type=\"riscv_vector\" regnum=\"4193\""));
        assert!(xml.contains("<vector id=\"quads\" type=\"uint128\" count=\"1\"/>"));
        assert!(xml.contains("<vector id=\"bytes\" type=\"uint8\" count=\"16\"/>"));
        assert!(xml.contains("<field name=\"b\" type=\"bytes\"/>"));
        let numbers: Vec<usize> = registers().map(|(n, _)| n).collect();
        assert!(
            numbers.windows(2).all(|w| w[0] < w[1]),
            "g order is ascending"
        );
    }

    #[test]
    fn vector_state_reads_and_writes_as_the_csrs_define_it() {
        let mut cpu = CpuState::default();
        cpu.vector.vl = 3;
        cpu.vector.vtype = 0xd1;
        let v1: Vec<u8> = (1..=16).collect();
        assert!(write(&mut cpu, FIRST_V + 1, &v1));
        assert_eq!(cpu.vector.regs[16..32], v1[..]);
        assert_eq!(read(&cpu, FIRST_V + 1), Some(v1));
        assert!(
            write(&mut cpu, FIRST_V + 2, &[9, 9]),
            "a short value is zero-extended"
        );
        assert_eq!(read(&cpu, FIRST_V + 2).unwrap()[..3], [9, 9, 0]);
        assert!(
            !write(&mut cpu, FIRST_V, &[0; 17]),
            "too long for a vector register"
        );
        let csr = |cpu: &CpuState, n| u64::from_le_bytes(read(cpu, n).unwrap().try_into().unwrap());
        assert_eq!(csr(&cpu, 3169), 3, "vl");
        assert_eq!(csr(&cpu, 3170), 0xd1, "vtype");
        assert_eq!(csr(&cpu, 3171), 16, "vlenb");
        // Read-only: accepted, unchanged.
        for n in [3169, 3170, 3171] {
            assert!(write(&mut cpu, n, &5u64.to_le_bytes()));
        }
        assert_eq!((cpu.vector.vl, cpu.vector.vtype), (3, 0xd1));
        assert_eq!(csr(&cpu, 3171), 16);
        // vcsr is vxrm and vxsat; each keeps its defined bits.
        assert!(write(&mut cpu, 80, &0xffu64.to_le_bytes()));
        assert_eq!((csr(&cpu, 74), csr(&cpu, 75), csr(&cpu, 80)), (1, 3, 7));
        assert!(write(&mut cpu, 75, &2u64.to_le_bytes()));
        assert_eq!(csr(&cpu, 80), 5);
        assert!(write(&mut cpu, 73, &0x1ffu64.to_le_bytes()));
        assert_eq!(
            csr(&cpu, 73),
            0x7f,
            "vstart indexes an element of VLEN bits"
        );
        assert_eq!(read(&cpu, 81), None, "not a CSR vm has");
        assert_eq!(read(&cpu, FIRST_V + 32), None);
    }
}
