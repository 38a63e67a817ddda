//! `vm binfmt register|unregister|status`: registering vm with the host kernel's
//! binfmt_misc as the interpreter of RISC-V 64 ELF programs.
//!
//! binfmt_misc starts its interpreter without options of ours, so vm reads its mode from
//! the name it is started under (see `binfmt`): the registered interpreter is a link
//! named `vm-binfmt` (Linux 5.12 and later, which flag the `P` layout in `AT_FLAGS`) or
//! `vm-binfmt-p` (older kernels) that leads to this vm. `register` makes the link beside
//! the vm binary unless told where, and registers it with the flags the README explains:
//! `P` (the guest gets its real argv[0]) and `F` (the kernel opens vm at registration,
//! so it runs in chroots and containers where the path does not exist).
//!
//! Entries are matched newest first: an entry registered later for the same programs
//! (qemu-user's, say) takes over from an earlier one, which `register` and `status` say.

use std::fs;
use std::io::ErrorKind;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where binfmt_misc is mounted.
const BINFMT_DIR: &str = "/proc/sys/fs/binfmt_misc";

/// The entry name used unless `--name` says otherwise.
pub const DEFAULT_NAME: &str = "riscv64-vm";

/// The first 20 bytes of a little-endian 64-bit RISC-V ELF executable or shared object
/// (`e_machine` 243), and which of their bits must match: the OS/ABI byte is free, and
/// `e_type` may be 2 (EXEC) or 3 (DYN).
const MAGIC: [u8; 20] = [
    0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0xf3, 0,
];
const MASK: [u8; 20] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xfe, 0xff, 0xff, 0xff,
];

#[derive(clap::Subcommand)]
pub enum BinfmtCommand {
    /// Register vm as the host kernel's interpreter of RISC-V 64 programs (root only)
    Register(RegisterArgs),
    /// Remove the registration (root only)
    Unregister(NameArg),
    /// Show the registration; exit status 0 if it is registered and enabled, 1 if not
    Status(NameArg),
}

#[derive(clap::Args)]
pub struct NameArg {
    /// The binfmt_misc entry's name
    #[arg(long, default_value = DEFAULT_NAME)]
    name: String,
}

#[derive(clap::Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    name: NameArg,
    /// The interpreter path to register: a link to vm named `vm-binfmt` (or `vm-binfmt-p`
    /// for kernels older than 5.12), made if missing [default: beside the vm binary]
    #[arg(long, value_name = "PATH")]
    interpreter: Option<PathBuf>,
    /// Register without the F flag: the kernel then looks the interpreter up at every
    /// start, so it must exist at the same path inside chroots and containers
    #[arg(long)]
    no_fix_binary: bool,
}

pub fn run(command: BinfmtCommand) -> ExitCode {
    let result = match command {
        BinfmtCommand::Register(args) => register(&args),
        BinfmtCommand::Unregister(args) => unregister(&args.name),
        BinfmtCommand::Status(args) => return status(&args.name),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("vm: {msg}");
            ExitCode::from(2)
        }
    }
}

fn register(args: &RegisterArgs) -> Result<(), String> {
    let name = &args.name.name;
    check_name(name)?;
    let dir = binfmt_dir()?;
    if dir.join(name).exists() {
        return Err(format!(
            "a binfmt_misc entry named {name} exists already; `vm binfmt unregister --name \
             {name}` removes it"
        ));
    }
    let vm = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .map_err(|e| format!("cannot find vm's own executable: {e}"))?;
    let link_name = if kernel_flags_preserved_argv0() {
        "vm-binfmt"
    } else {
        "vm-binfmt-p"
    };
    let interpreter = match &args.interpreter {
        Some(path) => path.clone(),
        None => vm.with_file_name(link_name),
    };
    let interpreter =
        std::path::absolute(&interpreter).map_err(|e| format!("{}: {e}", interpreter.display()))?;
    let file_name = interpreter.file_name().and_then(|n| n.to_str());
    if !matches!(file_name, Some("vm-binfmt" | "vm-binfmt-p")) {
        return Err(format!(
            "the interpreter must be named vm-binfmt or vm-binfmt-p (vm picks its mode by \
             that name), not {}",
            interpreter.display()
        ));
    }
    if file_name == Some("vm-binfmt") && link_name == "vm-binfmt-p" {
        return Err(
            "this kernel (older than 5.12) does not tell the interpreter how binfmt_misc \
             passed the arguments: name the interpreter vm-binfmt-p"
                .to_string(),
        );
    }
    let interp_str = interpreter
        .to_str()
        .filter(|s| !s.contains([':', '\n']))
        .ok_or_else(|| {
            format!(
                "the interpreter path {} cannot be registered (it must be UTF-8 without ':')",
                interpreter.display()
            )
        })?;
    ensure_link(&interpreter, &vm)?;
    let flags = if args.no_fix_binary { "P" } else { "PF" };
    let rule = format!(
        ":{name}:M::{}:{}:{interp_str}:{flags}",
        escaped(&MAGIC),
        escaped(&MASK)
    );
    fs::write(dir.join("register"), rule).map_err(|e| match e.kind() {
        ErrorKind::PermissionDenied => {
            "registering with binfmt_misc needs root (CAP_SYS_ADMIN)".to_string()
        }
        _ => format!("registering with binfmt_misc: {e}"),
    })?;
    println!("registered {name}: RISC-V 64 programs now run with {interp_str} (flags {flags})");
    for other in others_for_riscv64(&dir, name) {
        eprintln!(
            "vm: note: entry {other} also matches RISC-V 64 programs; the kernel uses the \
             one registered last, now {name}"
        );
    }
    Ok(())
}

fn unregister(name: &str) -> Result<(), String> {
    check_name(name)?;
    let entry = binfmt_dir()?.join(name);
    if !entry.exists() {
        return Err(format!("no binfmt_misc entry named {name}"));
    }
    fs::write(&entry, "-1").map_err(|e| match e.kind() {
        ErrorKind::PermissionDenied => {
            "removing a binfmt_misc entry needs root (CAP_SYS_ADMIN)".to_string()
        }
        _ => format!("removing {}: {e}", entry.display()),
    })?;
    println!("removed {name}");
    Ok(())
}

fn status(name: &str) -> ExitCode {
    let dir = match check_name(name).and_then(|()| binfmt_dir()) {
        Ok(dir) => dir,
        Err(msg) => {
            eprintln!("vm: {msg}");
            return ExitCode::from(2);
        }
    };
    let Ok(text) = fs::read_to_string(dir.join(name)) else {
        println!("{name}: not registered");
        return ExitCode::from(1);
    };
    println!("{name}:");
    for line in text.lines() {
        println!("  {line}");
    }
    for other in others_for_riscv64(&dir, name) {
        println!("also matching RISC-V 64 programs: {other} (the entry registered last wins)");
    }
    if text.lines().next() == Some("enabled") {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// A name binfmt_misc accepts as an entry file of its own.
fn check_name(name: &str) -> Result<(), String> {
    let bad = name.is_empty()
        || name.len() > 64
        || name.contains(['/', ':', '\n'])
        || matches!(name, "." | ".." | "register" | "status");
    if bad {
        return Err(format!("{name:?} cannot name a binfmt_misc entry"));
    }
    Ok(())
}

/// The binfmt_misc directory, if it is mounted.
fn binfmt_dir() -> Result<PathBuf, String> {
    let dir = PathBuf::from(BINFMT_DIR);
    if !dir.join("register").exists() {
        return Err(format!(
            "binfmt_misc is not mounted at {BINFMT_DIR}; as root: mount -t binfmt_misc \
             binfmt_misc {BINFMT_DIR}"
        ));
    }
    Ok(dir)
}

/// Whether binfmt_misc tells its interpreter that it preserved argv[0] (bit 0 of
/// `AT_FLAGS`, Linux 5.12 and later).
fn kernel_flags_preserved_argv0() -> bool {
    let release = fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let mut parts = release
        .trim()
        .split(['.', '-'])
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (5, 12)
}

/// Makes `link` a symbolic link to `vm`, unless it already leads to vm.
fn ensure_link(link: &Path, vm: &Path) -> Result<(), String> {
    let same_file = |a: &fs::Metadata, b: &fs::Metadata| a.dev() == b.dev() && a.ino() == b.ino();
    let vm_meta = fs::metadata(vm).map_err(|e| format!("{}: {e}", vm.display()))?;
    match fs::metadata(link) {
        Ok(meta) if same_file(&meta, &vm_meta) => return Ok(()),
        Ok(_) => {
            return Err(format!(
                "{} exists and is not this vm ({}); remove it or pass --interpreter",
                link.display(),
                vm.display()
            ))
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(format!("{}: {e}", link.display())),
    }
    if fs::symlink_metadata(link).is_ok() {
        return Err(format!(
            "{} is a dangling link; remove it or pass --interpreter",
            link.display()
        ));
    }
    std::os::unix::fs::symlink(vm, link)
        .map_err(|e| format!("making the link {}: {e}", link.display()))?;
    println!("made {} -> {}", link.display(), vm.display());
    Ok(())
}

/// `\xNN` for every byte, as binfmt_misc's register file reads magic and mask.
fn escaped(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\x{b:02x}")).collect()
}

/// The other entries whose magic and mask are vm's (RISC-V 64 ELF programs).
fn others_for_riscv64(dir: &Path, name: &str) -> Vec<String> {
    let magic: String = MAGIC.iter().map(|b| format!("{b:02x}")).collect();
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n != name && n != "register" && n != "status")
        .filter(|n| {
            fs::read_to_string(dir.join(n))
                .is_ok_and(|text| text.lines().any(|l| l == format!("magic {magic}")))
        })
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_and_mask_are_escaped_as_binfmt_misc_reads_them() {
        let m = escaped(&MAGIC);
        assert!(m.starts_with("\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00"));
        assert!(m.ends_with("\\x02\\x00\\xf3\\x00"));
        assert_eq!(m.len(), 20 * 4);
        // Masked-out bits of the magic must be zero, or binfmt_misc never matches.
        assert!(MAGIC.iter().zip(MASK).all(|(m, k)| m & !k == 0));
    }

    #[test]
    fn entry_names_binfmt_misc_would_refuse_are_refused() {
        assert!(check_name("riscv64-vm").is_ok());
        for bad in ["", "a/b", "a:b", "register", "status", ".."] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
