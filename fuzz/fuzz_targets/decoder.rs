//! Arbitrary instruction words into both decoders: every 32-bit word and every 16-bit
//! compressed halfword must decode to an instruction or to None (illegal), never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vm_frontend::{compressed, decode};

fuzz_target!(|data: &[u8]| {
    for chunk in data.chunks_exact(4) {
        let word = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        let _ = decode::decode(word);
        let _ = compressed::expand(word as u16);
        let _ = compressed::expand((word >> 16) as u16);
    }
});
