//! `vm`: runs RISC-V 64 Linux programs on this host.

mod binfmt;
mod binfmt_setup;
mod run;
mod title;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

const AFTER_HELP: &str = "\
Logging goes to stderr through `tracing`, filtered by RUST_LOG (unset: nothing is logged).
RUST_LOG=warn reports unimplemented system calls once each; RUST_LOG=debug traces start-up
and guest faults; RUST_LOG=vm::ir=trace prints every translated block.";

#[derive(Parser)]
#[command(
    name = "vm",
    version,
    about = "Run RISC-V 64-bit Linux programs (RV64GC, user mode) on this host",
    after_help = AFTER_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a RISC-V 64 Linux program.
    #[command(after_help = run::RUN_AFTER_HELP)]
    Run(Box<run::RunArgs>),
    /// Register vm with the host kernel's binfmt_misc, to start RISC-V 64 programs directly
    ///
    /// Once registered, the kernel runs RISC-V 64 programs with vm whoever starts them
    /// (`./prog`, a host shell, make), in chroots and containers too.
    Binfmt {
        #[command(subcommand)]
        command: binfmt_setup::BinfmtCommand,
    },
}

/// Logs to stderr as `RUST_LOG` asks. Without it nothing is logged, and no subscriber is
/// set up at all: building one costs ~40 us, a few percent of a short guest process.
fn init_logging() {
    if std::env::var_os("RUST_LOG").is_none_or(|v| v.is_empty()) {
        return;
    }
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .without_time()
        .init();
}

fn main() -> ExitCode {
    vm_linux::std_fds::close_those_closed_at_exec();
    init_logging();
    let mut args = std::env::args_os();
    let argv0 = args.next().unwrap_or_default();
    let mode = binfmt::mode(argv0.as_ref());
    let invoked_as = (mode == binfmt::Mode::Command).then_some(argv0.as_os_str());
    vm_linux::syscall::exec::remember_vm_executable(invoked_as);
    if let binfmt::Mode::Binfmt { preserve_argv0 } = mode {
        let rest: Vec<_> = args.collect();
        return match binfmt::invocation(&rest, preserve_argv0) {
            Ok((program, argv0, args)) => run::run(run::RunArgs::for_program(program, argv0, args)),
            Err(msg) => {
                eprintln!("vm: {msg}");
                ExitCode::from(2)
            }
        };
    }
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => run::run(*args),
        Command::Binfmt { command } => binfmt_setup::run(command),
    }
}
