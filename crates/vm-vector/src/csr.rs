//! The vector CSRs a user-mode program reads and writes (`csrr vl`, `csrw vxrm`, ...).

use crate::state::VectorState;
use crate::VLENB;
use vm_ir::Csr;

/// The value of a vector CSR; `None` for the others.
pub fn read_csr(v: &VectorState, csr: Csr) -> Option<u64> {
    Some(match csr {
        Csr::Vstart => v.vstart,
        Csr::Vxsat => v.vxsat as u64,
        Csr::Vxrm => v.vxrm as u64,
        Csr::Vcsr => ((v.vxrm as u64) << 1) | v.vxsat as u64,
        Csr::Vl => v.vl,
        Csr::Vtype => v.vtype,
        Csr::Vlenb => VLENB as u64,
        _ => return None,
    })
}

/// Writes a vector CSR (only the writable ones reach here); returns whether `csr` is one.
/// Fields keep only their defined bits; `vstart` keeps the bits that can index an
/// element (VLEN = 128 needs 7).
pub fn write_csr(v: &mut VectorState, csr: Csr, value: u64) -> bool {
    match csr {
        Csr::Vstart => v.vstart = value & (crate::VLEN as u64 - 1),
        Csr::Vxsat => v.vxsat = (value & 1) as u8,
        Csr::Vxrm => v.vxrm = (value & 3) as u8,
        Csr::Vcsr => {
            v.vxsat = (value & 1) as u8;
            v.vxrm = ((value >> 1) & 3) as u8;
        }
        _ => return false,
    }
    true
}
