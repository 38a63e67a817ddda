//! `riscv_hwprobe(pairs, pair_count, cpusetsize, cpus, flags)`: what the guest's CPU can
//! do, as Linux (6.4 and later) reports it for a hart with vm's ISA: RV64IMAFDC with
//! Zba, Zbb, Zbs, the counters (Zicntr), the hints (Zihintpause, Zihintntl), and the
//! scalar extensions of RVA23U64 (see [`EXTENSIONS`]) with 64-byte cache blocks; no
//! vector unit. glibc (2.40 and later) asks it to pick string
//! functions, and other programs to decide whether they may use an extension.
//!
//! Every hart is alike, so a value does not depend on the CPU set beyond its checks. The
//! online CPUs are the host's. Misaligned scalar accesses are reported fast: vm performs
//! them directly, as the host does.

use super::{Errno, SysResult};
use crate::vector_ext;
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// Keys (`RISCV_HWPROBE_KEY_*`).
mod key {
    pub const MVENDORID: i64 = 0;
    pub const MARCHID: i64 = 1;
    pub const MIMPID: i64 = 2;
    pub const BASE_BEHAVIOR: i64 = 3;
    pub const IMA_EXT_0: i64 = 4;
    pub const CPUPERF_0: i64 = 5;
    pub const ZICBOZ_BLOCK_SIZE: i64 = 6;
    pub const HIGHEST_VIRT_ADDRESS: i64 = 7;
    pub const TIME_CSR_FREQ: i64 = 8;
    pub const MISALIGNED_SCALAR_PERF: i64 = 9;
    pub const MISALIGNED_VECTOR_PERF: i64 = 10;
    pub const VENDOR_EXT_THEAD_0: i64 = 11;
    pub const ZICBOM_BLOCK_SIZE: i64 = 12;
    pub const VENDOR_EXT_SIFIVE_0: i64 = 13;
    pub const VENDOR_EXT_MIPS_0: i64 = 14;
    pub const ZICBOP_BLOCK_SIZE: i64 = 15;
    pub const IMA_EXT_1: i64 = 16;
}

/// `RISCV_HWPROBE_BASE_BEHAVIOR_IMA`.
const BASE_BEHAVIOR_IMA: u64 = 1;

/// vm's multi-letter extensions, in the order RISC-V Linux prints them in
/// `/proc/cpuinfo` (its `riscv_isa_ext` table), each with its
/// `RISCV_HWPROBE_KEY_IMA_EXT_0` bit (None: hwprobe has none, the base implies it).
/// C and D give Zca and Zcd, as Linux expands them. The one list both answers come from.
const EXTENSIONS: [(&str, Option<u64>); 21] = [
    ("zicbom", Some(1 << 55)),
    ("zicbop", Some(1 << 59)),
    ("zicboz", Some(1 << 6)),
    ("zicntr", Some(1 << 50)),
    ("zicond", Some(1 << 35)),
    ("zicsr", None),
    ("zifencei", None),
    ("zihintntl", Some(1 << 29)),
    ("zihintpause", Some(1 << 36)),
    ("zimop", Some(1 << 42)),
    ("zawrs", Some(1 << 48)),
    ("zfa", Some(1 << 32)),
    ("zfh", Some(1 << 27)),
    ("zfhmin", Some(1 << 28)),
    ("zca", Some(1 << 43)),
    ("zcb", Some(1 << 44)),
    ("zcd", Some(1 << 45)),
    ("zcmop", Some(1 << 47)),
    ("zba", Some(1 << 3)),
    ("zbb", Some(1 << 4)),
    ("zbs", Some(1 << 5)),
];

/// The size of the cache blocks of `cbo.*` and `prefetch.*` (the front end's).
const CACHE_BLOCK_SIZE: u64 = 64;

/// The `RISCV_HWPROBE_KEY_IMA_EXT_0` bits of vm's harts: F and D (bit 0), C (bit 1),
/// and the extensions above.
const IMA_EXT_0: u64 = {
    let mut bits = 1 << 0 | 1 << 1;
    let mut i = 0;
    while i < EXTENSIONS.len() {
        if let Some(bit) = EXTENSIONS[i].1 {
            bits |= bit;
        }
        i += 1;
    }
    bits
};

/// The ISA string of vm's harts as RISC-V Linux prints it (`/proc/cpuinfo`'s `isa`):
/// the single-letter extensions, then the others, each after an underscore.
pub fn isa_string() -> String {
    let scalar = EXTENSIONS
        .iter()
        .fold(String::from("rv64imafdc"), |s, (name, _)| s + "_" + name);
    vector_ext::isa_string(&scalar, vector_ext::advertise_v())
}

/// `RISCV_HWPROBE_MISALIGNED_SCALAR_FAST` (also `CPUPERF_0`'s `MISALIGNED_FAST`).
const MISALIGNED_SCALAR_FAST: u64 = 3;
/// The frequency of the `time` CSR (see the interpreter's `time` CSR).
const TIME_CSR_FREQ: u64 = 10_000_000;

/// `RISCV_HWPROBE_WHICH_CPUS`: reduce the CPU set to the CPUs matching every pair.
const WHICH_CPUS: u32 = 1;

/// The bytes of a CPU set this kernel reads and writes at most (its `cpumask_size()`):
/// room for 1024 CPUs, glibc's `cpu_set_t`.
const CPUMASK_BYTES: usize = 128;

/// The value of `key` on vm's harts, or `None` for a key Linux does not know.
fn value_of(key: i64) -> Option<u64> {
    Some(match key {
        key::MVENDORID | key::MARCHID | key::MIMPID => 0,
        key::BASE_BEHAVIOR => BASE_BEHAVIOR_IMA,
        key::IMA_EXT_0 => IMA_EXT_0 | vector_ext::ima_ext_0_bits(vector_ext::advertise_v()),
        key::CPUPERF_0 | key::MISALIGNED_SCALAR_PERF => MISALIGNED_SCALAR_FAST,
        key::MISALIGNED_VECTOR_PERF => {
            vector_ext::misaligned_vector_perf(vector_ext::advertise_v())
        }
        key::HIGHEST_VIRT_ADDRESS => vm_memory::GUEST_SPACE - 1,
        key::TIME_CSR_FREQ => TIME_CSR_FREQ,
        key::ZICBOZ_BLOCK_SIZE | key::ZICBOM_BLOCK_SIZE | key::ZICBOP_BLOCK_SIZE => {
            CACHE_BLOCK_SIZE
        }
        key::VENDOR_EXT_THEAD_0
        | key::VENDOR_EXT_SIFIVE_0
        | key::VENDOR_EXT_MIPS_0
        | key::IMA_EXT_1 => 0,
        _ => return None,
    })
}

/// Whether `key`'s value is a set of bits (a CPU matches a pair when it has all of the
/// pair's bits) rather than a number (matched exactly). `CPUPERF_0` is one by Linux's
/// own mistake, kept for compatibility.
fn is_bitmask(key: i64) -> bool {
    matches!(
        key,
        key::BASE_BEHAVIOR
            | key::IMA_EXT_0
            | key::IMA_EXT_1
            | key::CPUPERF_0
            | key::VENDOR_EXT_THEAD_0
            | key::VENDOR_EXT_SIFIVE_0
            | key::VENDOR_EXT_MIPS_0
    )
}

/// Whether vm's harts match the pair `(key, value)` (of a known key).
fn matches(key: i64, value: u64) -> bool {
    let ours = value_of(key).unwrap_or(0);
    if is_bitmask(key) {
        ours & value == value
    } else {
        ours == value
    }
}

/// The host's online CPUs, as a CPU set of [`CPUMASK_BYTES`].
fn online_cpus() -> Vec<u8> {
    let mut set = vec![0u8; CPUMASK_BYTES];
    let mut add = |cpu: usize| {
        if cpu < CPUMASK_BYTES * 8 {
            set[cpu / 8] |= 1 << (cpu % 8);
        }
    };
    // "0-3,5,7-8\n"
    let listed = std::fs::read_to_string("/sys/devices/system/cpu/online").ok();
    let ranges: Option<Vec<(usize, usize)>> = listed.as_deref().and_then(|text| {
        text.trim()
            .split(',')
            .map(|range| match range.split_once('-') {
                Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
                None => range.parse().ok().map(|a| (a, a)),
            })
            .collect()
    });
    match ranges {
        Some(ranges) => ranges
            .into_iter()
            .flat_map(|(a, b)| a..=b)
            .for_each(&mut add),
        None => {
            // SAFETY: sysconf has no pointer arguments.
            let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) }.max(1) as usize;
            (0..n).for_each(&mut add);
        }
    }
    set
}

/// The guest's CPU set `[cpus, cpus + len)`, read as Linux reads it: at most
/// [`CPUMASK_BYTES`], zero-extended.
fn read_cpu_set(mem: &GuestMemory, cpus: GuestAddr, len: usize) -> Result<Vec<u8>, Errno> {
    let mut set = vec![0u8; CPUMASK_BYTES];
    mem.read_bytes(cpus, &mut set[..len])?;
    Ok(set)
}

pub fn riscv_hwprobe(
    mem: &GuestMemory,
    pairs: GuestAddr,
    pair_count: u64,
    cpusetsize: u64,
    cpus: GuestAddr,
    flags: u32,
) -> SysResult {
    let len = cpusetsize.min(CPUMASK_BYTES as u64) as usize;
    if flags & WHICH_CPUS != 0 {
        return which_cpus(mem, pairs, pair_count, cpusetsize, cpus, len, flags);
    }
    if flags != 0 {
        return Err(Errno(libc::EINVAL));
    }
    if cpusetsize != 0 || cpus != 0 {
        let set = read_cpu_set(mem, cpus, len)?;
        let online = online_cpus();
        // At least one online CPU must be named: nothing is defined for none.
        if !set.iter().zip(&online).any(|(a, b)| a & b != 0) {
            return Err(Errno(libc::EINVAL));
        }
    }
    for i in 0..pair_count {
        let at = pairs.wrapping_add(i.wrapping_mul(16));
        let key = i64::from_le_bytes(mem.read(at)?);
        let (key, value) = match value_of(key) {
            Some(value) => (key, value),
            None => (-1, 0),
        };
        mem.write(at, key.to_le_bytes())?;
        mem.write(at.wrapping_add(8), value.to_le_bytes())?;
    }
    Ok(0)
}

/// The `RISCV_HWPROBE_WHICH_CPUS` form: the CPU set (empty meaning all online CPUs) is
/// reduced to the CPUs that match every pair; a pair with an unknown key has its key set
/// to -1 and empties the set.
#[allow(clippy::too_many_arguments)]
fn which_cpus(
    mem: &GuestMemory,
    pairs: GuestAddr,
    pair_count: u64,
    cpusetsize: u64,
    cpus: GuestAddr,
    len: usize,
    flags: u32,
) -> SysResult {
    if flags != WHICH_CPUS || cpusetsize == 0 || cpus == 0 {
        return Err(Errno(libc::EINVAL));
    }
    let mut set = read_cpu_set(mem, cpus, len)?;
    let online = online_cpus();
    if set.iter().all(|&b| b == 0) {
        set.copy_from_slice(&online);
    }
    set.iter_mut().zip(&online).for_each(|(a, b)| *a &= b);
    let mut all_match = true;
    let mut unknown = false;
    for i in 0..pair_count {
        let at = pairs.wrapping_add(i.wrapping_mul(16));
        let key = i64::from_le_bytes(mem.read(at)?);
        let value = u64::from_le_bytes(mem.read(at.wrapping_add(8))?);
        if value_of(key).is_none() {
            unknown = true;
            mem.write(at, (-1i64).to_le_bytes())?;
            mem.write(at.wrapping_add(8), 0u64.to_le_bytes())?;
        }
        if !unknown {
            all_match &= matches(key, value);
        }
    }
    // Every hart is alike: either all of them match or none does.
    if unknown || !all_match {
        set.fill(0);
    }
    mem.write_bytes(cpus, &set[..len])?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_have_values_and_unknown_ones_none() {
        assert!((0..=key::IMA_EXT_1).all(|k| value_of(k).is_some()));
        assert_eq!(value_of(key::IMA_EXT_1 + 1), None);
        assert_eq!(value_of(-1), None);
    }

    #[test]
    fn bitmask_keys_match_subsets_and_value_keys_exact_values() {
        assert!(matches(key::IMA_EXT_0, 1 << 4));
        assert_eq!(
            isa_string(),
            "rv64imafdcv_zicbom_zicbop_zicboz_zicntr_zicond_zicsr_zifencei_zihintntl_\
             zihintpause_zimop_zawrs_zfa_zfh_zfhmin_zca_zcb_zcd_zcmop_zba_zbb_zbs_\
             zvbb_zve32f_zve32x_zve64d_zve64f_zve64x_zvfhmin_zvkb_zvkt"
        );
        // The bits of linux/arch/riscv/include/uapi/asm/hwprobe.h: IMA_FD, IMA_C, ZBA,
        // ZBB, ZBS, ZICBOZ, ZFH, ZFHMIN, ZIHINTNTL, ZFA, ZICOND, ZIHINTPAUSE, ZIMOP, ZCA,
        // ZCB, ZCD, ZCMOP, ZAWRS, ZICNTR, ZICBOM, ZICBOP.
        let bits = [
            0, 1, 3, 4, 5, 6, 27, 28, 29, 32, 35, 36, 42, 43, 44, 45, 47, 48, 50, 55, 59,
        ];
        assert_eq!(IMA_EXT_0, bits.iter().fold(0, |v, b| v | 1 << b));
        let vector = crate::vector_ext::ima_ext_0_bits(true);
        assert!(
            matches(key::IMA_EXT_0, IMA_EXT_0 | vector),
            "the vector unit"
        );
        assert_eq!(value_of(key::ZICBOZ_BLOCK_SIZE), Some(64));
        assert!(matches(key::IMA_EXT_0, 0));
        assert!(matches(key::TIME_CSR_FREQ, TIME_CSR_FREQ));
        assert!(!matches(key::TIME_CSR_FREQ, 0));
    }

    #[test]
    fn the_online_set_names_at_least_one_cpu() {
        assert!(online_cpus().iter().any(|&b| b != 0));
    }
}
