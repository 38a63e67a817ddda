//! The Linux process model for RISC-V 64 guests in user mode.

pub mod layout;
pub mod state;
pub mod syscall;
