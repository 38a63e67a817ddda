//! What vm tells a program about its vector unit, in one place: the `V` bit of
//! `AT_HWCAP`, the hwprobe bits, the extensions in `/proc/cpuinfo`'s `isa` line, the
//! misaligned-vector-access answer, and `prctl(PR_RISCV_V_GET_CONTROL/SET_CONTROL)`.
//!
//! It is on: every family of vector instructions is implemented and compared with qemu's
//! `rva23u64` CPU. [`ADVERTISE_V`] turns all of it off at once (a program that checks
//! for V then takes its scalar paths); vector instructions execute either way, and the
//! signal frame carries the vector state of a thread that used them either way (see
//! `signal::frame`).

use crate::syscall::Errno;

/// Whether vm reports the vector extension.
pub const ADVERTISE_V: bool = true;

/// Whether vm reports the vector extension now.
pub const fn advertise_v() -> bool {
    ADVERTISE_V
}

/// Whether a thread has used the vector unit, which decides whether its signal frames
/// carry a vector context, its core dump an `NT_RISCV_VECTOR` note, and whether
/// `PR_RISCV_V_SET_CONTROL` may still turn the unit off. Linux tracks this with
/// `sstatus.VS`, on from the first vector instruction or vector CSR access; vm keeps no
/// such bit and answers whether the state differs from the one a process starts with,
/// which costs nothing on the instruction path and differs from Linux only for a
/// thread whose use left the state exactly as it was reset.
pub fn unit_used(v: &vm_vector::VectorState) -> bool {
    *v != vm_vector::VectorState::default()
}

/// `AT_HWCAP`'s bit for the single-letter extension `V`.
pub const HWCAP_V: u64 = 1 << (b'V' - b'A');

/// `RISCV_HWPROBE_IMA_V` (uapi asm/hwprobe.h).
pub const HWPROBE_IMA_V: u64 = 1 << 2;

/// The multi-letter vector extensions vm implements, in the order Linux's
/// `riscv_isa_ext` table prints them (they come after every scalar extension vm has),
/// each with its `RISCV_HWPROBE_KEY_IMA_EXT_0` bit. V implies the Zve* subsets, which
/// Linux lists too; Zvbb implies Zvkb; Zvfhmin is the f16 conversions; Zvkt (vector
/// timing independent of data, which RVA23 requires) has no instructions of its own.
pub const EXTENSIONS: [(&str, u64); 9] = [
    ("zvbb", 1 << 17),
    ("zve32f", 1 << 38),
    ("zve32x", 1 << 37),
    ("zve64d", 1 << 41),
    ("zve64f", 1 << 40),
    ("zve64x", 1 << 39),
    ("zvfhmin", 1 << 31),
    ("zvkb", 1 << 19),
    ("zvkt", 1 << 26),
];

/// The `AT_HWCAP` bits the vector unit adds when `on`.
pub const fn hwcap_bits(on: bool) -> u64 {
    if on {
        HWCAP_V
    } else {
        0
    }
}

/// The `RISCV_HWPROBE_KEY_IMA_EXT_0` bits the vector unit adds when `on`.
pub const fn ima_ext_0_bits(on: bool) -> u64 {
    if !on {
        return 0;
    }
    let mut bits = HWPROBE_IMA_V;
    let mut i = 0;
    while i < EXTENSIONS.len() {
        bits |= EXTENSIONS[i].1;
        i += 1;
    }
    bits
}

/// `RISCV_HWPROBE_KEY_MISALIGNED_VECTOR_PERF` when `on`: `FAST` (3), as vm performs
/// misaligned element accesses directly; otherwise `UNSUPPORTED` (4), there being no
/// vector unit to speak of.
pub const fn misaligned_vector_perf(on: bool) -> u64 {
    if on {
        3
    } else {
        4
    }
}

/// The `isa` string of a hart from its scalar part (`rv64imafdc_zicntr_...`): with the
/// vector unit `on`, `v` joins the single letters and the vector extensions go last.
pub fn isa_string(scalar: &str, on: bool) -> String {
    if !on {
        return scalar.to_string();
    }
    let (letters, rest) = scalar.split_once('_').unwrap_or((scalar, ""));
    let mut s = format!("{letters}v");
    for part in rest.split('_').filter(|p| !p.is_empty()) {
        s.push('_');
        s.push_str(part);
    }
    for (name, _) in EXTENSIONS {
        s.push('_');
        s.push_str(name);
    }
    s
}

/// `PR_RISCV_V_SET_CONTROL` and `PR_RISCV_V_GET_CONTROL` (uapi linux/prctl.h).
pub mod pr {
    pub const SET_CONTROL: i32 = 69;
    pub const GET_CONTROL: i32 = 70;
    pub const CTRL_DEFAULT: u64 = 0;
    pub const CTRL_OFF: u64 = 1;
    pub const CTRL_ON: u64 = 2;
    pub const CTRL_INHERIT: u64 = 1 << 4;
    pub const CTRL_MASK: u64 = 0x1f;
}

/// `prctl(PR_RISCV_V_GET_CONTROL)` / `prctl(PR_RISCV_V_SET_CONTROL, arg)` on a thread
/// that has (`used`) or has not used the vector unit, with the unit reported (`on`).
///
/// Without the unit reported both are `EINVAL`, as on a Linux without V. With it, the
/// control reads as Linux's default for a process (current `ON`, next `DEFAULT`, no
/// inherit). vm's unit cannot be turned off, so it keeps no per-thread control: `SET`
/// checks its argument as Linux does (reserved bits or values: `EINVAL`; turning the
/// unit off after using it: `EPERM`) and accepts what keeps the unit on; turning it off
/// before use, which Linux allows, is `EINVAL`, and a `next`/`inherit` setting is
/// accepted but not remembered.
pub fn v_control(option: i32, arg: u64, used: bool, on: bool) -> Result<u64, Errno> {
    if !on {
        return Err(Errno(libc::EINVAL));
    }
    match option {
        pr::GET_CONTROL => Ok(pr::CTRL_ON),
        pr::SET_CONTROL => {
            if arg & !pr::CTRL_MASK != 0 {
                return Err(Errno(libc::EINVAL));
            }
            let next = (arg >> 2) & 3;
            match arg & 3 {
                pr::CTRL_OFF if used => Err(Errno(libc::EPERM)),
                pr::CTRL_ON | pr::CTRL_DEFAULT if next != 3 => Ok(0),
                _ => Err(Errno(libc::EINVAL)),
            }
        }
        _ => Err(Errno(libc::EINVAL)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_reported_while_off() {
        assert_eq!(hwcap_bits(false), 0);
        assert_eq!(ima_ext_0_bits(false), 0);
        assert_eq!(misaligned_vector_perf(false), 4);
        assert_eq!(isa_string("rv64imafdc_zicntr", false), "rv64imafdc_zicntr");
        for option in [pr::GET_CONTROL, pr::SET_CONTROL] {
            assert_eq!(v_control(option, 2, true, false), Err(Errno(libc::EINVAL)));
        }
    }

    #[test]
    fn when_on_the_bits_are_linux_s() {
        // AT_HWCAP: bit 21 ('V' - 'A'), as COMPAT_HWCAP_ISA_V.
        assert_eq!(hwcap_bits(true), 1 << 21);
        // uapi asm/hwprobe.h: IMA_V bit 2, ZVBB 17, ZVKB 19, ZVKT 26, ZVFHMIN 31,
        // ZVE32X 37, ZVE32F 38, ZVE64X 39, ZVE64F 40, ZVE64D 41.
        let want = [2, 17, 19, 26, 31, 37, 38, 39, 40, 41]
            .iter()
            .fold(0u64, |b, bit| b | 1 << bit);
        assert_eq!(ima_ext_0_bits(true), want);
        assert_eq!(misaligned_vector_perf(true), 3);
    }

    #[test]
    fn when_on_the_isa_string_has_v_and_the_zv_extensions_last() {
        assert_eq!(
            isa_string("rv64imafdc_zicntr_zba_zbs", true),
            "rv64imafdcv_zicntr_zba_zbs_zvbb_zve32f_zve32x_zve64d_zve64f_zve64x_zvfhmin_zvkb_zvkt"
        );
        assert_eq!(
            isa_string("rv64imafdc", true),
            "rv64imafdcv_zvbb_zve32f_zve32x_zve64d_zve64f_zve64x_zvfhmin_zvkb_zvkt"
        );
    }

    #[test]
    fn when_on_prctl_answers_as_linux_does_for_a_default_process() {
        assert_eq!(v_control(pr::GET_CONTROL, 0, false, true), Ok(pr::CTRL_ON));
        // Keeping the unit on, with any next setting, is accepted.
        for arg in [
            pr::CTRL_ON,
            pr::CTRL_DEFAULT,
            pr::CTRL_ON | pr::CTRL_INHERIT,
            2 | 1 << 2,
        ] {
            assert_eq!(
                v_control(pr::SET_CONTROL, arg, true, true),
                Ok(0),
                "{arg:#x}"
            );
        }
        // Reserved bits and values.
        for arg in [1 << 5, 3, 2 | 3 << 2] {
            assert_eq!(
                v_control(pr::SET_CONTROL, arg, false, true),
                Err(Errno(libc::EINVAL)),
                "{arg:#x}"
            );
        }
        // Turning the unit off once used.
        assert_eq!(
            v_control(pr::SET_CONTROL, pr::CTRL_OFF, true, true),
            Err(Errno(libc::EPERM))
        );
    }
}
