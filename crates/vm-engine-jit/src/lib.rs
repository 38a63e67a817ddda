//! The compiled tier: `Jit::compile_block(IRBlock)` through Cranelift, chaining, and the
//! persistent AOT cache. Empty until its issue; see DESIGN.md for how it plugs into
//! `vm-engine` (hot blocks, position-independent code reached through the context
//! pointer, cache keys).
