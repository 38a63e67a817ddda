//! Where absolute guest paths live on the host (stub: paths are unchanged until the
//! sysroot lookup lands).

use crate::options::VmOptions;

/// The host path for the guest path `guest_path`.
pub fn host_path<'a>(
    options: &VmOptions,
    guest_path: &'a std::ffi::CStr,
) -> std::borrow::Cow<'a, std::ffi::CStr> {
    let _ = options;
    std::borrow::Cow::Borrowed(guest_path)
}
