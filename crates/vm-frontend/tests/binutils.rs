//! Differential tests of the decoders against GNU binutils (`riscv64-linux-gnu-as` and
//! `riscv64-linux-gnu-objdump`, 2.40 or later), which `scripts/install-deps` installs
//! with the cross compiler; they run in the normal test suite (about 10 s).
//!
//! Every 32-bit selector combination (opcode × funct3 × funct7 × rs2 field) and every
//! 16-bit parcel is disassembled by both; the texts must match except for the documented
//! places where this front end deliberately differs from binutils (see `known_difference`).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;
use vm_frontend::compressed::expand;
use vm_frontend::decode::decode;

/// The extensions binutils 2.40 knows of those the decoders accept. It does not know
/// Zicond, Zimop, Zfa, Zcb or Zcmop: see [`unknown_to_binutils_2_40`].
const MARCH: &str = "-march=rv64gcv_zba_zbb_zbs_zfh_zicbom_zicboz_zawrs_zihintpause";

/// Whether `ours` is an instruction of an extension binutils 2.40 does not know, which it
/// prints as a `.4byte`/`.2byte`; the unit tests beside the decoders check those
/// encodings against binutils 2.44. For compressed parcels, whose text is that of their
/// expansion, the parcel itself says: Zcb's slots (quadrant 0 funct3 = 4; quadrant 1's
/// `c.subw` row, funct2 2 and 3) and Zcmop's (`c.lui` with a zero immediate).
fn unknown_to_binutils_2_40(word: u32, ours: &str) -> bool {
    let mnemonic = ours.split('\t').next().unwrap_or("");
    if word & 3 != 3 {
        let (quadrant, funct3) = (word & 3, (word >> 13) & 7);
        let zcb_load_store = quadrant == 0 && funct3 == 4;
        let zcb_row = quadrant == 1 && funct3 == 4 && (word >> 10) & 7 == 7 && (word >> 6) & 1 == 1;
        return zcb_load_store || zcb_row || mnemonic.starts_with("c.mop.");
    }
    mnemonic.starts_with("czero.")
        || mnemonic.starts_with("mop.")
        || mnemonic.starts_with("fli.")
        || mnemonic.starts_with("fminm.")
        || mnemonic.starts_with("fmaxm.")
        || mnemonic.starts_with("fround")
        || mnemonic.starts_with("fleq.")
        || mnemonic.starts_with("fltq.")
        || mnemonic == "fcvtmod.w.d"
}

/// Assembles `.insn` directives and returns objdump's `(address, text)` per instruction,
/// text in `-M no-aliases,numeric` syntax with comments removed and pc-relative targets
/// rewritten as `.+offset`.
fn objdump(directives: &str, name: &str) -> Vec<(u64, String)> {
    let dir = std::env::temp_dir().join(format!("vm-frontend-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (src, obj): (PathBuf, PathBuf) = (dir.join("in.s"), dir.join("in.o"));
    std::fs::write(&src, directives).expect("write source");
    let status = Command::new("riscv64-linux-gnu-as")
        .args([MARCH, "-o"])
        .args([&obj, &src])
        .status()
        .expect("riscv64-linux-gnu-as is needed for this test");
    assert!(status.success());
    let out = Command::new("riscv64-linux-gnu-objdump")
        .args(["-d", "-M", "no-aliases,numeric"])
        .arg(&obj)
        .output()
        .expect("riscv64-linux-gnu-objdump is needed for this test");
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().filter_map(parse_line).collect()
}

/// `   1c:\t00b50863          \tbeq\tx10,x11,2c <.text+0x2c>` → `(0x1c, "beq\tx10,x11,.+16")`.
fn parse_line(line: &str) -> Option<(u64, String)> {
    let (addr, rest) = line.trim_start().split_once(":\t")?;
    let addr = u64::from_str_radix(addr, 16).ok()?;
    let (_bits, text) = rest.split_once('\t')?;
    let text = text.split(" #").next()?.trim();
    let (mnemonic, operands) = text.split_once('\t').unwrap_or((text, ""));
    let relative = matches!(
        mnemonic,
        "jal" | "beq" | "bne" | "blt" | "bge" | "bltu" | "bgeu" | "c.j" | "c.beqz" | "c.bnez"
    );
    let operands = if relative {
        let (head, target) = operands.rsplit_once(',').unwrap_or(("", operands));
        let target = u64::from_str_radix(target.split(' ').next()?, 16).ok()?;
        let offset = target.wrapping_sub(addr) as i64;
        let sep = if head.is_empty() { "" } else { "," };
        let sign = if offset < 0 { '-' } else { '+' };
        format!("{head}{sep}.{sign}{}", offset.unsigned_abs())
    } else if mnemonic == "fence" {
        operands.replace("unknown", "0")
    } else {
        operands.to_string()
    };
    Some((
        addr,
        format!("{mnemonic}\t{operands}").trim_end().to_string(),
    ))
}

fn illegal_in_binutils(text: &str) -> bool {
    text.starts_with(".4byte") || text.starts_with(".2byte") || text.starts_with("c.unimp")
}

/// Where this front end deliberately disagrees with binutils 2.40.
fn known_difference(theirs: &str, ours: Option<&str>) -> bool {
    let mnemonic = theirs.split('\t').next().unwrap_or("");
    match ours {
        // Reserved fence fields (rd, rs1, fm) are ignored by implementations.
        Some(ours) if illegal_in_binutils(theirs) => {
            // binutils 2.40 does not know Zvbb.
            let zvbb = [
                "vandn.", "vror.", "vrol.", "vwsll.", "vbrev.", "vbrev8.", "vrev8.", "vclz.",
                "vctz.", "vcpop.v",
            ];
            zvbb.iter().any(|z| ours.starts_with(z))
                || ours.starts_with("fence")
                // binutils 2.40 only knows rm = rne for these exact conversions.
                || ours.starts_with("fcvt.d.s")
                || ours.starts_with("fcvt.d.w")
                || ours.starts_with("fcvt.s.h")
                || ours.starts_with("fcvt.d.h")
        }
        // `pause` is `fence w,0` with rd = rs1 = 0, which `Insn::Fence` does not keep.
        Some(ours) if theirs == "pause" => ours == "fence\tw,0",
        Some(ours) => ours == format!("{theirs},rne"),
        // binutils does not know which CSRs and instructions user mode may use, and
        // prints the reserved rounding modes as `unknown`.
        None => {
            theirs.ends_with(",unknown")
                || (mnemonic.starts_with("csrr") && !user_csr_access(theirs))
                || matches!(
                    mnemonic,
                    "unimp" | "uret" | "sret" | "hret" | "mret" | "dret" | "wfi"
                )
                || mnemonic.starts_with("sfence")
                // Linux leaves senvcfg.CBIE clear: illegal in user mode.
                || mnemonic == "cbo.inval"
                || theirs == "c.addi16sp\tx2,0"
        }
    }
}

/// Whether a binutils CSR instruction text is one a user-mode hart may execute.
fn user_csr_access(text: &str) -> bool {
    let (mnemonic, operands) = text.split_once('\t').unwrap_or((text, ""));
    let fields: Vec<&str> = operands.split(',').collect();
    let (csr, src) = (fields.get(1).copied(), fields.get(2).copied());
    let writes = matches!(mnemonic, "csrrw" | "csrrwi") || !matches!(src, Some("x0" | "0"));
    match csr {
        Some("fflags" | "frm" | "fcsr") => true,
        Some("cycle" | "time" | "instret" | "vl" | "vtype" | "vlenb") => !writes,
        Some("vstart" | "vxsat" | "vxrm" | "vcsr") => true,
        _ => false,
    }
}

fn compare(words: &[u32], theirs: &[(u64, String)], ours: impl Fn(u32) -> Option<String>) {
    assert_eq!(words.len(), theirs.len(), "objdump lost instructions");
    let mut failures = String::new();
    for (&word, (_, theirs)) in words.iter().zip(theirs) {
        let ours = ours(word);
        let same = match &ours {
            Some(ours) => ours == theirs,
            None => illegal_in_binutils(theirs),
        };
        let unknown = ours.as_deref().is_some_and(|ours| {
            illegal_in_binutils(theirs) && unknown_to_binutils_2_40(word, ours)
        });
        if !same && !unknown && !known_difference(theirs, ours.as_deref()) {
            let _ = writeln!(failures, "{word:#010x}: binutils {theirs:?}, ours {ours:?}");
        }
    }
    assert!(failures.is_empty(), "decoders disagree:\n{failures}");
}

#[test]
fn thirty_two_bit_words_match_binutils() {
    let opcodes = [
        0x03, 0x07, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x27, 0x2f, 0x33, 0x37, 0x3b, 0x43, 0x47, 0x4b,
        0x4f, 0x53, 0x57, 0x63, 0x67, 0x6f, 0x73,
    ];
    for reg in [0, 10] {
        let mut words = Vec::new();
        for opcode in opcodes {
            for funct3 in 0..8 {
                for funct7 in 0..128 {
                    for rs2 in 0..32 {
                        let fields = reg << 7 | funct3 << 12 | reg << 15 | rs2 << 20 | funct7 << 25;
                        words.push(opcode | fields);
                    }
                }
            }
        }
        let mut src = String::from(".option norvc\n");
        for w in &words {
            let _ = writeln!(src, ".insn 4, {w:#010x}");
        }
        let theirs = objdump(&src, "words");
        compare(&words, &theirs, |w| decode(w).map(|i| i.to_string()));
    }
}

/// The V extension's unary groups select the operation with the `vs1` field, which the
/// test above only varies over two values: here every value, for every group.
#[test]
fn vector_unary_selectors_match_binutils() {
    let mut words = Vec::new();
    for funct3 in 0..7 {
        for funct6 in [0x10, 0x12, 0x13, 0x14, 0x17, 0x27] {
            for vm in 0..2 {
                for vs2 in [0, 3] {
                    for vs1 in 0..32 {
                        let fields = 1 << 7 | funct3 << 12 | vs1 << 15 | vs2 << 20 | vm << 25;
                        words.push(0x57 | fields | funct6 << 26);
                    }
                }
            }
        }
    }
    let mut src = String::from(".option norvc\n");
    for w in &words {
        let _ = writeln!(src, ".insn 4, {w:#010x}");
    }
    let theirs = objdump(&src, "vector-unary");
    compare(&words, &theirs, |w| decode(w).map(|i| i.to_string()));
}

/// objdump's text of a compressed instruction rewritten as its 32-bit expansion.
fn expansion(text: &str) -> String {
    let (mnemonic, operands) = text.split_once('\t').unwrap_or((text, ""));
    let ops: Vec<&str> = operands.split(',').collect();
    let op = |i: usize| ops.get(i).copied().unwrap_or("");
    let base = mnemonic.trim_start_matches("c.");
    match mnemonic {
        "c.addi4spn" => format!("addi\t{operands}"),
        "c.fld" | "c.lw" | "c.ld" | "c.fsd" | "c.sw" | "c.sd" => format!("{base}\t{operands}"),
        "c.fldsp" | "c.lwsp" | "c.ldsp" | "c.fsdsp" | "c.swsp" | "c.sdsp" => {
            format!("{}\t{operands}", base.trim_end_matches("sp"))
        }
        "c.nop" => format!(
            "addi\tx0,x0,{}",
            if operands.is_empty() { "0" } else { operands }
        ),
        "c.addi" | "c.addiw" | "c.andi" | "c.slli" | "c.srli" | "c.srai" | "c.sub" | "c.xor"
        | "c.or" | "c.and" | "c.subw" | "c.addw" | "c.add" => {
            format!("{base}\t{},{},{}", op(0), op(0), op(1))
        }
        "c.slli64" | "c.srli64" | "c.srai64" => {
            format!("{}\t{},{},0x0", base.trim_end_matches("64"), op(0), op(0))
        }
        "c.li" => format!("addi\t{},x0,{}", op(0), op(1)),
        "c.addi16sp" => format!("addi\tx2,x2,{}", op(1)),
        "c.lui" => format!("lui\t{operands}"),
        "c.mv" => format!("add\t{},x0,{}", op(0), op(1)),
        "c.j" => format!("jal\tx0,{operands}"),
        "c.beqz" | "c.bnez" => format!("b{}\t{},x0,{}", &base[1..3], op(0), op(1)),
        "c.jr" => format!("jalr\tx0,0({operands})"),
        "c.jalr" => format!("jalr\tx1,0({operands})"),
        "c.ebreak" => "ebreak".to_string(),
        _ => text.to_string(),
    }
}

#[test]
fn every_compressed_parcel_matches_binutils() {
    let parcels: Vec<u32> = (0..=u16::MAX as u32).filter(|h| h & 3 != 3).collect();
    let mut src = String::new();
    for h in &parcels {
        let _ = writeln!(src, ".insn 2, {h:#06x}");
    }
    let theirs: Vec<(u64, String)> = objdump(&src, "parcels")
        .into_iter()
        .map(|(addr, text)| {
            let keep = illegal_in_binutils(&text) || text == "c.addi16sp\tx2,0";
            (addr, if keep { text } else { expansion(&text) })
        })
        .collect();
    compare(&parcels, &theirs, |h| {
        expand(h as u16).map(|i| i.to_string())
    });
}
