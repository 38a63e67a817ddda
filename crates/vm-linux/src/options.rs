//! The options vm runs guests with. A guest `execve` of another RISC-V program starts a
//! fresh vm with the same options, so they travel with the process.

use std::path::PathBuf;
use vm_engine::EngineKind;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VmOptions {
    /// Which back ends execute guest code.
    pub engine: EngineKind,
    /// The guest sysroot (`-L`): where the dynamic linker and libraries are found, and
    /// where absolute guest paths are looked up first.
    pub sysroot: Option<PathBuf>,
}
